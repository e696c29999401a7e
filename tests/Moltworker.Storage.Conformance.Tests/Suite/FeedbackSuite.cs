using Moltworker.Kernel.Feedback;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>Ratings of tasks: every rating is kept with its note and author, listed newest first, per task or all.</summary>
public abstract class FeedbackSuite : StoreSuite
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task Ratings_are_stored_with_their_note_and_listed_newest_first_per_task()
    {
        var feedback = Stores.Feedback();
        var first = await feedback.AddAsync(new FeedbackRecord("task-1", 5, "spot on", "ci", At), default);
        var second = await feedback.AddAsync(new FeedbackRecord("task-2", 1, null, "loopback", At.AddMinutes(1)), default);
        var third = await feedback.AddAsync(new FeedbackRecord("task-1", 3, "ünïcode ✓", "ci", At.AddMinutes(2)), default);
        Assert.True(first.Id > 0 && second.Id > first.Id && third.Id > second.Id);

        var ofTask = await feedback.ListAsync("task-1", 10, default);
        Assert.Equal([third with { }, first with { }], ofTask);
        Assert.Equal(At.AddMinutes(2), ofTask[0].CreatedAt);
        Assert.Null((await feedback.ListAsync("task-2", 10, default)).Single().Note);
        Assert.Equal([third.Id, second.Id], (await feedback.ListAsync(null, 2, default)).Select(f => f.Id));
        Assert.Empty(await feedback.ListAsync("nope", 10, default));
    }
}
