using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Stores;

namespace Moltworker.Storage.Sqlite.Tests;

public sealed class StorageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "moltworker-storage-tests", Guid.NewGuid().ToString("N"));

    private SqliteDatabase Db(params SqliteMigration[] extra) =>
        new(Options.Create(new StorageOptions { DataDirectory = _dir }), [.. CoreMigrations.All, .. extra]);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Pooled_connections_keep_the_pragmas_that_are_set_once_per_native_handle()
    {
        var db = Db();
        for (var i = 0; i < 3; i++)
        {
            var (foreignKeys, busy, synchronous) = await db.RunAsync(async c =>
            {
                await using var command = c.CreateCommand();
                command.CommandText = "SELECT * FROM pragma_foreign_keys, pragma_busy_timeout, pragma_synchronous";
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            });
            Assert.Equal((1L, 5000L, 1L), (foreignKeys, busy, synchronous));   // synchronous 1 = NORMAL
        }
        SqliteConnection.ClearAllPools();   // new native handles get them too
        Assert.Equal(1L, await db.RunAsync(async c =>
        {
            await using var command = c.CreateCommand();
            command.CommandText = "PRAGMA foreign_keys";
            return (long)(await command.ExecuteScalarAsync())!;
        }));
    }

    [Fact]
    public async Task Conversations_round_trip_with_tool_calls_and_reset_starts_fresh()
    {
        var store = new SqliteConversationStore(Db(), TimeProvider.System);
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

    [Fact]
    public async Task A_window_never_starts_with_an_orphaned_tool_result()
    {
        var store = new SqliteConversationStore(Db(), TimeProvider.System);
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

    [Fact]
    public async Task Migrations_are_idempotent_and_versioned_per_module()
    {
        var extra = new SqliteMigration("extra", 1, "CREATE TABLE extra_things (id INTEGER PRIMARY KEY);");
        await new SqliteKeyValueStore(Db(extra), TimeProvider.System).SetAsync("a", "1", default);
        // A second database object on the same file (a restart) must not re-run anything.
        var again = new SqliteKeyValueStore(Db(extra), TimeProvider.System);
        Assert.Equal("1", await again.GetAsync("a", default));
        await using var c = new SqliteConnection($"Data Source={Path.Combine(_dir, "moltworker.db")}");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT group_concat(module || ':' || version) FROM (SELECT * FROM schema_migrations ORDER BY module, version)";
        Assert.Equal("core:1,core:2,extra:1", await cmd.ExecuteScalarAsync());
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_corrupt_database_gives_a_clear_error()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "moltworker.db"), new string('z', 8192));
        var store = new SqliteKeyValueStore(Db(), TimeProvider.System);

        var ex = await Assert.ThrowsAsync<StorageException>(() => store.GetAsync("a", default));
        Assert.Contains("corrupt or not a SQLite database", ex.Message);
    }

    [Fact]
    public async Task A_failed_write_loses_nothing_already_committed()
    {
        var db = Db();
        var kv = new SqliteKeyValueStore(db, TimeProvider.System);
        await kv.SetAsync("kept", "yes", default);
        // A write that fails inside its transaction (here: a constraint) must leave earlier data intact.
        var failing = db.RunAsync(async c =>
        {
            await using var tx = c.BeginTransaction();
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO kv (key, value, updated_at) VALUES ('x', 'y', 'now'); INSERT INTO kv (key, value, updated_at) VALUES ('kept', NULL, 'now');";
            await cmd.ExecuteNonQueryAsync();
            tx.Commit();
        });
        await Assert.ThrowsAsync<StorageException>(() => failing);
        Assert.Equal("yes", await kv.GetAsync("kept", default));
        Assert.Null(await kv.GetAsync("x", default));
    }

    [Fact]
    public async Task The_inbox_stores_each_external_id_once_and_lists_pending_in_order()
    {
        var inbox = new SqliteInboxStore(Db(), TimeProvider.System);
        Assert.NotNull(await inbox.EnqueueAsync("telegram", "1", "chat-a", "{}", default));
        Assert.Null(await inbox.EnqueueAsync("telegram", "1", "chat-a", "{}", default));
        Assert.NotNull(await inbox.EnqueueAsync("discord", "1", "chat-b", "{}", default));
        Assert.NotNull(await inbox.EnqueueAsync("telegram", "2", "chat-a", "{}", default));

        var pending = await inbox.PendingAsync(10, default);
        Assert.Equal(["telegram:1", "discord:1", "telegram:2"], pending.Select(p => $"{p.Source}:{p.ExternalId}"));
        await inbox.CompleteAsync(pending[0].Id, null, default);
        Assert.Equal(2, (await inbox.PendingAsync(10, default)).Count);
    }
}
