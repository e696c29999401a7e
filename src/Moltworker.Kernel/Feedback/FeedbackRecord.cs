namespace Moltworker.Kernel.Feedback;

/// <summary>A user's rating of one task's answer (<c>POST /api/feedback</c>): <see cref="Rating"/> from
/// <see cref="MinRating"/> to <see cref="MaxRating"/>, an optional note, and who gave it (the API key's name, or
/// "loopback" without a key).</summary>
public sealed record FeedbackRecord(string TaskId, int Rating, string? Note, string By, DateTimeOffset CreatedAt)
{
    public const int MinRating = 1;
    public const int MaxRating = 5;

    /// <summary>The longest note kept, in characters.</summary>
    public const int MaxNoteLength = 4000;

    /// <summary>The store's id; 0 before it is stored.</summary>
    public long Id { get; init; }
}
