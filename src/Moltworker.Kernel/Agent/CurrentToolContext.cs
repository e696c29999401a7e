using Moltworker.Abstractions;

namespace Moltworker.Kernel.Agent;

/// <summary>
/// The <see cref="ToolContext"/> of the call running on this async flow, set by the <see cref="FunctionInvoker"/> around
/// the kernel invocation. A <c>[Tool]</c> function reached through SK's <c>AIFunction</c> adapter gets no
/// <c>AIFunctionArguments.Context</c>, so its <see cref="ToolContext"/> parameter is bound from here.
/// </summary>
public static class CurrentToolContext
{
    private static readonly AsyncLocal<ToolContext?> Current = new();

    public static ToolContext? Value => Current.Value;

    /// <summary>Sets the context until the returned scope is disposed.</summary>
    public static IDisposable Enter(ToolContext context)
    {
        var previous = Current.Value;
        Current.Value = context;
        return new Scope(previous);
    }

    private sealed class Scope(ToolContext? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
