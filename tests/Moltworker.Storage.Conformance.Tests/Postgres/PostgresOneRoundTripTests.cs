using Microsoft.Extensions.Options;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Postgres.Database;
using Moltworker.Storage.Postgres.Journal;
using Moltworker.Storage.Postgres.Leases;
using Moltworker.Storage.Postgres.Stores;
using Moltworker.Testing.Postgres;
using Npgsql;

namespace Moltworker.Storage.Conformance.Tests.Postgres;

/// <summary>
/// The writes PostgreSQL does in one statement or one batch where the kernel's interfaces take several steps
/// (docs/operations.md, "The turn on PostgreSQL, profiled"): the chat's lease, its pending items and an attempt on the
/// first (<see cref="PostgresInboxChatClaim"/>); a task's root thread row and its status (<see cref="PostgresTaskEndStore"/>).
/// Each must mean what the separate steps mean.
/// </summary>
public sealed class PostgresOneRoundTripTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;
    private PostgresDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _db = new PostgresDatabase(_database.ConnectionString, PostgresSchema.All);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task ExecAsync(string sql) => _db.RunAsync(async c =>
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    });

    [PostgresFact]
    public async Task A_claim_takes_the_chat_reads_its_pending_items_in_order_and_counts_an_attempt_on_the_first()
    {
        var inbox = new PostgresInboxStore(_db, TimeProvider.System);
        var claim = new PostgresInboxChatClaim(_db);
        var a = (await inbox.EnqueueAsync("http", "a", "http:1", "{}", default))!;
        var b = (await inbox.EnqueueAsync("http", "b", "http:1", "{}", default))!;
        await inbox.EnqueueAsync("http", "c", "http:2", "{}", default);

        var first = await claim.ClaimNextAsync("http:1", "h1", Lease, default);
        Assert.NotNull(first);
        Assert.Equal([a.Id, b.Id], first.Select(i => i.Id));
        Assert.Equal([0, 0], first.Select(i => i.Attempts));                 // the count before this attempt
        Assert.Equal([1, 0], (await inbox.PendingAsync("http:1", default)).Select(i => i.Attempts));

        var again = await claim.ClaimNextAsync("http:1", "h1", Lease, default);  // the holder again: the same head, counted again
        Assert.Equal([1, 0], again!.Select(i => i.Attempts));
        Assert.Equal([2, 0], (await inbox.PendingAsync("http:1", default)).Select(i => i.Attempts));

        await inbox.CompleteAsync(a.Id, null, default);
        var next = await claim.ClaimNextAsync("http:1", "h1", Lease, default);
        Assert.Equal(b.Id, Assert.Single(next!).Id);
        Assert.Equal(0, next![0].Attempts);
    }

    [PostgresFact]
    public async Task A_claim_of_a_chat_another_host_holds_is_refused_and_counts_nothing_until_its_lease_expires()
    {
        var inbox = new PostgresInboxStore(_db, TimeProvider.System);
        var leases = new PostgresHostLeases(_db);
        var claim = new PostgresInboxChatClaim(_db);
        await inbox.EnqueueAsync("http", "a", "http:1", "{}", default);
        Assert.True(await leases.TryAcquireChatAsync("http:1", "h1", Lease, default));

        Assert.Null(await claim.ClaimNextAsync("http:1", "h2", Lease, default));
        Assert.Equal(0, Assert.Single(await inbox.PendingAsync("http:1", default)).Attempts);

        await ExecAsync("UPDATE chat_leases SET lease_expires_at = now() - interval '1 second' WHERE order_key = 'http:1'");
        Assert.Equal(0, Assert.Single((await claim.ClaimNextAsync("http:1", "h2", Lease, default))!).Attempts);
        Assert.False(await leases.TryAcquireChatAsync("http:1", "h1", Lease, default));   // h2 holds it now
    }

    [PostgresFact]
    public async Task A_claim_of_a_drained_chat_takes_its_lease_and_returns_no_items()
    {
        var leases = new PostgresHostLeases(_db);
        var claim = new PostgresInboxChatClaim(_db);
        Assert.Empty((await claim.ClaimNextAsync("http:9", "h1", Lease, default))!);
        Assert.False(await leases.TryAcquireChatAsync("http:9", "h2", Lease, default));
        await leases.ReleaseChatAsync("http:9", "h1", default);
        Assert.True(await leases.TryAcquireChatAsync("http:9", "h2", Lease, default));
    }

    [PostgresFact]
    public async Task Ending_a_task_writes_its_root_thread_and_its_status_as_the_two_stores_do()
    {
        var tasks = new PostgresTaskStore(_db, TimeProvider.System, cluster: Options.Create(new ClusterOptions { LeaseDuration = Lease }));
        var threads = new PostgresTaskThreadStore(_db);
        var ends = new PostgresTaskEndStore(_db, TimeProvider.System);
        var task = new DurableTask { Id = "t1", Address = new ChatAddress("http", "1", null), Agent = "default" };
        await tasks.CreateAsync(task, "h1", new StoredCheckpoint(1, "{}", "work", 0), default);
        var root = new TaskThread
        {
            Id = "t1", TaskId = "t1", Agent = "default", Model = "m", Status = TaskThreadStatus.Completed, Answer = "done",
            InputTokens = 12, OutputTokens = 3, StartedAt = T0, EndedAt = T0.AddSeconds(1),
        };

        await ends.EndAsync(root, DurableTaskStatus.Completed, null, "done", default);

        var stored = await tasks.GetAsync("t1", default);
        Assert.Equal(DurableTaskStatus.Completed, stored!.Status);
        Assert.Equal("done", stored.FinalText);
        var thread = await threads.GetAsync("t1", default);
        Assert.Equal((TaskThreadStatus.Completed, "done", 12L, 3L, "m"), (thread!.Status, thread.Answer, thread.InputTokens, thread.OutputTokens, thread.Model));

        // Ended again (after a crash, as a failure): the same row, updated; the earlier final text stays, as SetStatusAsync keeps it.
        await ends.EndAsync(root with { Status = TaskThreadStatus.Failed, Answer = null, Error = "boom" }, DurableTaskStatus.Failed, "boom", null, default);
        stored = await tasks.GetAsync("t1", default);
        Assert.Equal((DurableTaskStatus.Failed, "boom", "done"), (stored!.Status, stored.LastError, stored.FinalText));
        Assert.Equal(TaskThreadStatus.Failed, Assert.Single(await threads.ListAsync("t1", default)).Status);
    }

    [PostgresFact]
    public async Task Ending_a_task_writes_neither_row_when_one_of_the_two_fails()
    {
        var tasks = new PostgresTaskStore(_db, TimeProvider.System, cluster: Options.Create(new ClusterOptions { LeaseDuration = Lease }));
        var threads = new PostgresTaskThreadStore(_db);
        var ends = new PostgresTaskEndStore(_db, TimeProvider.System);
        await tasks.CreateAsync(new DurableTask { Id = "t1", Address = new ChatAddress("http", "1", null), Agent = "default" }, "h1",
            new StoredCheckpoint(1, "{}", "work", 0), default);
        await ExecAsync("""
            CREATE FUNCTION refuse_status() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
            CREATE TRIGGER refuse_status BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION refuse_status();
            """);
        var root = new TaskThread { Id = "t1", TaskId = "t1", Agent = "default", Status = TaskThreadStatus.Completed, Answer = "done", StartedAt = T0, EndedAt = T0 };

        await Assert.ThrowsAnyAsync<Exception>(() => ends.EndAsync(root, DurableTaskStatus.Completed, null, "done", default));

        Assert.Null(await threads.GetAsync("t1", default));
        Assert.Equal(DurableTaskStatus.Running, (await tasks.GetAsync("t1", default))!.Status);
    }
}
