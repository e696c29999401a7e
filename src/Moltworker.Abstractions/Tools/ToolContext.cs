namespace Moltworker.Abstractions;

/// <summary>
/// What a tool may know about the call it serves. Add a parameter of this type to a tool method and the
/// kernel fills it; it never appears in the JSON schema the model sees.
/// </summary>
public sealed record ToolContext
{
    /// <summary>The durable task this call belongs to.</summary>
    public string TaskId { get; init; } = "";

    /// <summary>The model's id for this call (unique within a task step).</summary>
    public string CallId { get; init; } = "";

    /// <summary>Stable across retries and crash-resume: derived from task, step and call id.
    /// Pass it to upstream APIs that deduplicate (e.g. an <c>Idempotency-Key</c> header).</summary>
    public string IdempotencyKey { get; init; } = "";

    /// <summary>1 for the first try, then 2, 3… when retried.</summary>
    public int Attempt { get; init; } = 1;

    public string? Channel { get; init; }
    public string? ChatId { get; init; }
    public string? UserId { get; init; }

    /// <summary>Set when the call was started by a chat /command rather than by the model.</summary>
    public bool FromCommand { get; init; }

    /// <summary>Optional progress reporting (shown to the user by channels that support it).</summary>
    public IProgress<string>? Progress { get; init; }
}
