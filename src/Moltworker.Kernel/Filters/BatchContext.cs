namespace Moltworker.Kernel.Filters;

/// <summary>All tool calls of one model response (or one command / tool-composed batch).</summary>
public sealed class BatchContext
{
    public required string BatchId { get; init; }
    public required TurnContext Turn { get; init; }
    public required IReadOnlyList<CallContext> Calls { get; init; }

    /// <summary>Who asked: "model", "command" or the name of a composing tool.</summary>
    public string Caller { get; init; } = "model";

    /// <summary>The batch was started by a tool through <c>IToolInvoker</c> (e.g. /briefing's sources). Its calls are
    /// not retried: the composing call is retried as a whole when it is safe, and retries at two levels multiply.</summary>
    public bool Composed { get; init; }

    /// <summary>Run the calls concurrently. Off by default: the gating filter switches it on when safe.</summary>
    public bool Parallel { get; set; }

    /// <summary>Cap on calls in flight when <see cref="Parallel"/> is on.</summary>
    public int MaxConcurrency { get; set; } = 1;

    public CancellationToken CancellationToken { get; set; }

    /// <summary>The call whose SK auto-function filter set <c>Terminate</c>: calls not started yet are answered
    /// "skipped" and the turn ends after this batch with that call's result.</summary>
    public CallContext? TerminatedBy { get; set; }

    /// <summary>How many calls are done, for progress events.</summary>
    public BatchProgress Progress { get; } = new();
}
