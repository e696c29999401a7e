namespace Moltworker.Abstractions;

/// <summary>
/// Lets a tool call other tools through the kernel's full filter pipeline (gating, timeouts, journal).
/// The calls of one <see cref="InvokeBatchAsync"/> form one batch: they run in parallel when all of
/// them are parallel-safe. Results come back in the order of the requests; failures are results too.
/// </summary>
public interface IToolInvoker
{
    Task<IReadOnlyList<ToolOutcome>> InvokeBatchAsync(IReadOnlyList<ToolRequest> calls, ToolContext caller, CancellationToken cancellationToken);
}

public sealed record ToolRequest(string Tool, IReadOnlyDictionary<string, object?> Arguments);

public sealed record ToolOutcome(string Tool, string Content, bool IsError);
