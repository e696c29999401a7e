using System.Text;
using OpenAI.Chat;

namespace Moltworker.Kernel.Models;

/// <summary>
/// The raw tool-call deltas of one streamed answer, as the OpenAI SDK parsed them, kept beside M.E.AI's own
/// assembly for the two things it does not do: tell apart calls that a server numbers with the same index (some
/// OpenAI-compatible servers number every call 0; M.E.AI keys calls by index alone and would glue them into one), and
/// keep the raw argument text of a call whose arguments are not JSON.
/// </summary>
internal sealed class StreamedToolCallDeltas
{
    private readonly List<(string? Id, string? Name, StringBuilder Arguments)> _calls = [];
    private readonly Dictionary<int, int> _byIndex = [];

    /// <summary>A delta brought a new call id at an index already in use.</summary>
    public bool IndexReused { get; private set; }

    public void Add(IReadOnlyList<StreamingChatToolCallUpdate> deltas)
    {
        foreach (var delta in deltas)
        {
            var id = delta.ToolCallId;
            if (!_byIndex.TryGetValue(delta.Index, out var at) ||
                (!string.IsNullOrEmpty(id) && !string.IsNullOrEmpty(_calls[at].Id) && _calls[at].Id != id))
            {
                IndexReused |= _byIndex.ContainsKey(delta.Index);
                _calls.Add((null, null, new StringBuilder()));
                at = _byIndex[delta.Index] = _calls.Count - 1;
            }
            var call = _calls[at];
            if (string.IsNullOrEmpty(call.Id)) call.Id = id;
            if (string.IsNullOrEmpty(call.Name)) call.Name = delta.FunctionName;
            if (delta.FunctionArgumentsUpdate is { } args && !args.ToMemory().IsEmpty) call.Arguments.Append(args.ToString());
            _calls[at] = call;
        }
    }

    /// <summary>The calls in the order they began: id, name and the raw argument text.</summary>
    public IEnumerable<(string Id, string Name, string Arguments)> Calls =>
        _calls.Select((c, i) => (string.IsNullOrEmpty(c.Id) ? $"call_{i}" : c.Id, c.Name ?? "", c.Arguments.ToString()));

    /// <summary>The raw argument text of the call with this id, if it was streamed.</summary>
    public string? ArgumentsOf(string callId) => _calls.FirstOrDefault(c => c.Id == callId).Arguments?.ToString();
}
