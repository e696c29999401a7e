namespace Moltworker.Kernel.Tasks;

/// <summary>A page of tasks, newest first: by status and chat (<see cref="Channel"/> narrows a chat id several channels
/// use), skipping <see cref="Offset"/>, at most <see cref="Limit"/>.</summary>
public sealed record TaskListQuery
{
    public DurableTaskStatus? Status { get; init; }
    public string? ChatId { get; init; }
    public string? Channel { get; init; }
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;

    public bool Matches(DurableTask task) =>
        (Status is null || task.Status == Status) && (ChatId is null || task.Address.ChatId == ChatId) && (Channel is null || task.Address.Channel == Channel);
}
