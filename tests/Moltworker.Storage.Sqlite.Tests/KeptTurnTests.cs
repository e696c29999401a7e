using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Stores;

namespace Moltworker.Storage.Sqlite.Tests;

/// <summary>A turn's messages are kept once per turn id, together with the turn's record, or not at all.</summary>
public sealed class KeptTurnTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "moltworker-storage-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A test-only trigger that makes inserting a message with the text "boom" fail inside the transaction.</summary>
    private static readonly SqliteMigration FailOnBoom = new("test", 1,
        "CREATE TRIGGER fail_on_boom BEFORE INSERT ON messages WHEN NEW.text = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;");

    private SqliteConversationStore Store() =>
        new(new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = _dir }), [.. CoreMigrations.All, FailOnBoom]), TimeProvider.System);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static List<ChatMessage> Turn(string question, string answer) => [new(ChatRole.User, question), new(ChatRole.Assistant, answer)];

    [Fact]
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

    [Fact]
    public async Task Turns_of_different_tasks_are_appended_in_order_and_an_unknown_turn_is_not_found()
    {
        var store = Store();
        await store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "a1"), Turn("q1", "a1"), "m", default);
        await store.AppendTurnAsync(new KeptTurn("task-2", "c:1", "a2"), Turn("q2", "a2"), "m", default);

        Assert.Equal(["q1", "a1", "q2", "a2"], (await store.LoadAsync("c:1", 50, default)).Select(m => m.Text));
        Assert.Null(await store.FindTurnAsync("task-3", default));
    }

    [Fact]
    public async Task A_turn_whose_append_fails_midway_keeps_neither_messages_nor_its_record_and_can_be_kept_later()
    {
        var store = Store();
        await Assert.ThrowsAsync<StorageException>(() =>
            store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "boom"), [new(ChatRole.User, "q"), new(ChatRole.Assistant, "boom")], "m", default));

        Assert.Empty(await store.LoadAsync("c:1", 50, default));
        Assert.Null(await store.FindTurnAsync("task-1", default));

        await store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "fine"), Turn("q", "fine"), "m", default);
        Assert.Equal(["q", "fine"], (await store.LoadAsync("c:1", 50, default)).Select(m => m.Text));
    }

    [Fact]
    public async Task A_kept_turn_stays_kept_after_a_reset_so_a_late_resume_does_not_bring_it_back()
    {
        var store = Store();
        await store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "a1"), Turn("q1", "a1"), "m", default);
        await store.ResetAsync("c:1", default);

        var again = await store.AppendTurnAsync(new KeptTurn("task-1", "c:1", "a1 again"), Turn("q1", "a1 again"), "m", default);

        Assert.Equal("a1", again.Answer);
        Assert.Empty(await store.LoadAsync("c:1", 50, default));
    }
    [Fact]
    public async Task Pruning_forgets_old_turn_records_but_keeps_the_messages()
    {
        var time = new Moltworker.Testing.Time.FakeTimeProvider();
        var store = new SqliteConversationStore(new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = _dir }), CoreMigrations.All), time);
        await store.AppendTurnAsync(new KeptTurn("old", "c:1", "a1"), Turn("q1", "a1"), "m", default);
        time.Advance(TimeSpan.FromDays(10));
        await store.AppendTurnAsync(new KeptTurn("new", "c:1", "a2"), Turn("q2", "a2"), "m", default);

        Assert.Equal(1, await store.PruneTurnsAsync(time.GetUtcNow().AddDays(-5), default));
        Assert.Null(await store.FindTurnAsync("old", default));
        Assert.NotNull(await store.FindTurnAsync("new", default));
        Assert.Equal(["q1", "a1", "q2", "a2"], (await store.LoadAsync("c:1", 10, default)).Select(m => m.Text));
    }
}
