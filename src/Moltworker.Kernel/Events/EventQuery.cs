namespace Moltworker.Kernel.Events;

/// <summary>Which events to read: after an id, of one task and/or one chat (<see cref="Channel"/> narrows a chat id
/// that several channels use), at most <see cref="Limit"/>.</summary>
public sealed record EventQuery
{
    public long AfterId { get; init; }
    public string? TaskId { get; init; }
    public string? ChatId { get; init; }
    public string? Channel { get; init; }
    public int Limit { get; init; } = 500;

    /// <summary>Whether <paramref name="e"/> passes the task and chat filters (the id and limit are not looked at).</summary>
    public bool Matches(StoredEvent e) =>
        (TaskId is null || e.TaskId == TaskId) && (ChatId is null || e.ChatId == ChatId) && (Channel is null || e.Channel == Channel);
}
