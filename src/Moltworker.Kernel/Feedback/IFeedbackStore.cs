namespace Moltworker.Kernel.Feedback;

/// <summary>Ratings of tasks. Every rating is kept (a task rated twice has two rows); readers take the newest.</summary>
public interface IFeedbackStore
{
    /// <summary>Stores <paramref name="feedback"/> and returns it with its id.</summary>
    Task<FeedbackRecord> AddAsync(FeedbackRecord feedback, CancellationToken cancellationToken);

    /// <summary>The newest ratings first, of one task when <paramref name="taskId"/> is given, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<FeedbackRecord>> ListAsync(string? taskId, int limit, CancellationToken cancellationToken);
}
