using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Filters;

/// <summary>How a call ended. <see cref="AwaitingApproval"/> marks a call held back for a person's approval: its batch
/// pauses the task, so the model never reads it.</summary>
public enum ToolStatus { Ok, Error, Timeout, Skipped, Cancelled, Denied, AwaitingApproval }

/// <summary>What a call produced, as the model will read it. Errors are results too.</summary>
public sealed record ToolResult(string Content, ToolStatus Status = ToolStatus.Ok)
{
    public bool IsError => Status != ToolStatus.Ok;

    /// <summary>True when the failure may go away on retry (upstream 429/5xx, timeouts, I/O).</summary>
    public bool Transient { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Images the tool returned beside its text (a <c>browse_url</c> screenshot). They reach the model only when
    /// it takes images (<see cref="ToolMessages"/>), live only for the turn, and are not journaled: a replayed result
    /// comes back as its text.</summary>
    public IReadOnlyList<DataContent> Images { get; init; } = [];

    /// <summary>Served from the tool-result cache: the tool was not called (see <c>Filters/Caching</c>).</summary>
    public bool Cached { get; init; }

    public static ToolResult Ok(string content) => new(content);
    public static ToolResult Error(string message, bool transient = false) => new($"Error: {message}", ToolStatus.Error) { Transient = transient };
    public static ToolResult Skipped(string why) => new($"Skipped: {why}", ToolStatus.Skipped);
}
