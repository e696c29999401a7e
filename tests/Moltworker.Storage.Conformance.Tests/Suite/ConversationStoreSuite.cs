using Microsoft.Extensions.AI;
using Moltworker.Kernel.State;
using Moltworker.Storage.Conformance.Tests.Providers;
using Moltworker.Testing.Time;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>Conversations and kept turns: a turn's messages are kept once per turn id, together with the turn's
/// record, or not at all.</summary>
public abstract class ConversationStoreSuite : StoreSuite
{
    private IConversationStore Store(TimeProvider? time = null) => Stores.Conversations(time ?? TimeProvider.System);

    private static List<ChatMessage> Turn(string question, string answer) => [new(ChatRole.User, question), new(ChatRole.Assistant, answer)];

    [SkippableFact]
    public async Task Conversations_round_trip_with_tool_calls_and_reset_starts_fresh()
    {
        var store = Store();
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, "weather?"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "5°C")]),
            new(ChatRole.Assistant, "It is 5°C.") { AdditionalProperties = new() { [MessageProperties.InputTokens] = 10L, [MessageProperties.OutputTokens] = 4L } },
        };
        await store.AppendTurnAsync(new KeptTurn("turn-1", "t:1", "It is 5°C."), messages, "m", default);

        var loaded = await store.LoadAsync("t:1", 10, default);
        Assert.Equal(["user", "assistant", "tool", "assistant"], loaded.Select(m => m.Role.Value));
        var call = loaded[1].Contents.OfType<FunctionCallContent>().Single();
        Assert.Equal(("c1", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("c1", loaded[2].Contents.OfType<FunctionResultContent>().Single().CallId);
        Assert.Equal("It is 5°C.", loaded[3].Text);

        await store.ResetAsync("t:1", default);
        Assert.Empty(await store.LoadAsync("t:1", 10, default));
        Assert.Empty(await store.LoadAsync("t:other", 10, default));
    }

    [SkippableFact]
    public async Task A_window_never_starts_with_an_orphaned_tool_result()
    {
        var store = Store();
        await store.AppendTurnAsync(new KeptTurn("turn-k", "k", "a2"), [
            new(ChatRole.User, "q1"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "t")]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "r")]),
            new(ChatRole.Assistant, "a1"),
            new(ChatRole.User, "q2"),
            new(ChatRole.Assistant, "a2")], null, default);

        var window = await store.LoadAsync("k", 4, default);
        Assert.Equal(["user", "assistant"], window.Select(m => m.Role.Value));
        Assert.Equal("q2", window[0].Text);
    }

    [SkippableFact]
    public async Task A_turn_kept_twice_is_in_the_conversation_once_and_the_second_keeper_gets_the_first_answer()
    {
        var store = Store();
        var first = await store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "first answer"), Turn("q", "first answer"), "m", default);
        Assert.Equal("first answer", first.Answer);

        // A resumed run of the same task that got as far as keeping its turn again (with a new model answer).
        var second = await store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "second answer"), Turn("q", "second answer"), "m", default);

        Assert.Equal(new KeptTurn("task-1", "c:1", "first answer"), second);
        Assert.Equal(["q", "first answer"], (await store.LoadAsync("c:1", 50, default)).Select(m => m.Text));
        Assert.Equal(new KeptTurn("task-1", "c:1", "first answer"), await store.FindTurnAsync("task-1", default));
    }

    [SkippableFact]
    public async Task Turns_of_different_tasks_are_appended_in_order_and_an_unknown_turn_is_not_found()
    {
        var store = Store();
        await store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "a1"), Turn("q1", "a1"), "m", default);
        await store.AppendTurnAsync(new KeptTurn("task-2", "c:1", "a2"), Turn("q2", "a2"), "m", default);

        Assert.Equal(["q1", "a1", "q2", "a2"], (await store.LoadAsync("c:1", 50, default)).Select(m => m.Text));
        Assert.Null(await store.FindTurnAsync("task-3", default));
    }

    [SkippableFact]
    public async Task A_turn_whose_append_fails_midway_keeps_neither_messages_nor_its_record_and_can_be_kept_later()
    {
        var store = Store();
        await Assert.ThrowsAsync<StorageException>(() =>
            store.AppendTurnAsync(new KeptTurn("task-1", "c:1", IStoreSet.FailingText), [new(ChatRole.User, "q"), new(ChatRole.Assistant, IStoreSet.FailingText)], "m", default));

        Assert.Empty(await store.LoadAsync("c:1", 50, default));
        Assert.Null(await store.FindTurnAsync("task-1", default));

        await store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "fine"), Turn("q", "fine"), "m", default);
        Assert.Equal(["q", "fine"], (await store.LoadAsync("c:1", 50, default)).Select(m => m.Text));
    }

    [SkippableFact]
    public async Task A_kept_turn_stays_kept_after_a_reset_so_a_late_resume_does_not_bring_it_back()
    {
        var store = Store();
        await store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "a1"), Turn("q1", "a1"), "m", default);
        await store.ResetAsync("c:1", default);

        var again = await store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "a1 again"), Turn("q1", "a1 again"), "m", default);

        Assert.Equal("a1", again.Answer);
        Assert.Empty(await store.LoadAsync("c:1", 50, default));
    }

    [SkippableFact]
    public async Task Pruning_forgets_old_turn_records_but_keeps_the_messages()
    {
        var time = new FakeTimeProvider();
        var store = Store(time);
        await store.AppendTurnAsync(new KeptTurn("old", "c:1", "a1"), Turn("q1", "a1"), "m", default);
        time.Advance(TimeSpan.FromDays(10));
        await store.AppendTurnAsync(new KeptTurn("new", "c:1", "a2"), Turn("q2", "a2"), "m", default);

        Assert.Equal(1, await store.PruneTurnsAsync(time.GetUtcNow().AddDays(-5), default));
        Assert.Null(await store.FindTurnAsync("old", default));
        Assert.NotNull(await store.FindTurnAsync("new", default));
        Assert.Equal(["q1", "a1", "q2", "a2"], (await store.LoadAsync("c:1", 10, default)).Select(m => m.Text));
    }

    [SkippableFact]
    public async Task The_same_turn_kept_by_two_writers_at_once_is_in_the_conversation_once()
    {
        var store = Store();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            store.AppendTurnAsync(new KeptTurn("task-1", "c:1", $"a{i}"), Turn("q", $"a{i}"), "m", default)));

        Assert.Single(results.Select(r => r.Answer).Distinct());
        Assert.Equal(["q", results[0].Answer], (await store.LoadAsync("c:1", 50, default)).Select(m => m.Text));
    }

    [SkippableFact]
    public async Task A_summary_replaces_the_messages_through_its_range_once_and_a_reset_drops_it()
    {
        var store = Store();
        await store.AppendTurnAsync(new KeptTurn("s-1", "s:1", "a1"), [
            new(ChatRole.User, "q1"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "t")]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "r")]),
            new(ChatRole.Assistant, "a1")], "m", default);
        await store.AppendTurnAsync(new KeptTurn("s-2", "s:1", "a2"), Turn("q2", "a2"), "m", default);

        var before = await store.LoadHistoryAsync("s:1", 50, default);
        Assert.Null(before.Summary);
        Assert.Equal(["q1", "", "", "a1", "q2", "a2"], before.Messages.Select(m => m.Message.Text));
        Assert.Equal(before.Messages.Select(m => m.Id).Order(), before.Messages.Select(m => m.Id));   // ids grow

        // The first four messages (a call with its result among them) become a summary.
        var summary = new ConversationSummary(before.Messages[3].Id, "q1 was answered with a1", 4, 900, 300, false);
        Assert.Equal(summary, await store.SaveSummaryAsync("s:1", summary, default));
        var after = await store.LoadHistoryAsync("s:1", 50, default);
        Assert.Equal(summary, after.Summary);
        Assert.Equal(["q2", "a2"], after.Messages.Select(m => m.Message.Text));
        Assert.Equal(6, (await store.LoadAsync("s:1", 50, default)).Count);  // the messages stay stored

        // The same range compacted again (a resumed turn): nothing is written and the first summary comes back.
        var again = await store.SaveSummaryAsync("s:1", summary with { Text = "another summary" }, default);
        Assert.Equal(summary, again);
        Assert.Equal("q1 was answered with a1", (await store.LoadHistoryAsync("s:1", 50, default)).Summary!.Text);

        // A later summary folds in the earlier one: the latest range counts.
        await store.AppendTurnAsync(new KeptTurn("s-3", "s:1", "a3"), Turn("q3", "a3"), "m", default);
        var later = new ConversationSummary(after.Messages[1].Id, "q1 and q2 were answered", 2, 800, 250, true);
        await store.SaveSummaryAsync("s:1", later, default);
        var latest = await store.LoadHistoryAsync("s:1", 50, default);
        Assert.Equal(later, latest.Summary);
        Assert.Equal(["q3", "a3"], latest.Messages.Select(m => m.Message.Text));
        Assert.Null((await store.LoadHistoryAsync("s:other", 50, default)).Summary);

        await store.ResetAsync("s:1", default);
        var fresh = await store.LoadHistoryAsync("s:1", 50, default);
        Assert.Null(fresh.Summary);
        Assert.Empty(fresh.Messages);
    }

    [SkippableFact]
    public async Task A_history_cut_by_its_limit_starts_at_a_user_message_and_a_summary_of_nothing_is_refused()
    {
        var store = Store();
        await store.AppendTurnAsync(new KeptTurn("h-1", "h:1", "a1"), [
            new(ChatRole.User, "q1"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "t")]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "r")]),
            new(ChatRole.Assistant, "a1"),
            new(ChatRole.User, "q2"),
            new(ChatRole.Assistant, "a2")], null, default);

        Assert.Equal(["q2", "a2"], (await store.LoadHistoryAsync("h:1", 4, default)).Messages.Select(m => m.Message.Text));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.SaveSummaryAsync("h:none", new ConversationSummary(1, "x", 1, 1, 1, false), default));
    }
}
