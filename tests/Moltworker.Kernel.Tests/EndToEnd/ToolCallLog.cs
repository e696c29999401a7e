namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>What the travel plugin was asked, in order.</summary>
public sealed class ToolCallLog
{
    private readonly List<string> _calls = [];
    public IReadOnlyList<string> Calls { get { lock (_calls) return _calls.ToArray(); } }
    public void Add(string call) { lock (_calls) _calls.Add(call); }
}
