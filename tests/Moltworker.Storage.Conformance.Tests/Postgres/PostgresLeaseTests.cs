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
/// Leases of several hosts on one PostgreSQL database (SQLite has one host, which holds every lease): tasks and chat
/// inboxes are taken only when their lease expired, renewals keep them, the fence refuses the writes of a host whose
/// lease is gone, and one host at a time is the leader. Expiry is the server's clock: a test expires a lease by moving
/// its <c>lease_expires_at</c> into the past rather than by waiting.
/// </summary>
public sealed class PostgresLeaseTests : IAsyncLifetime
{
    private static readonly ChatAddress Chat = new("telegram", "42", "u");
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
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

    private PostgresTaskStore Tasks(string? fenceOwner = null) =>
        new(_db, TimeProvider.System, fenceOwner is null ? null : Owner(fenceOwner), Options.Create(new ClusterOptions { LeaseDuration = Lease }));

    private static TaskOwner Owner(string id) => new(id);

    private static DurableTask NewTask(string id) => new() { Id = id, Address = Chat, Agent = "planner" };

    private static StoredCheckpoint Checkpoint(int step = 0) => new(1, "{}", "work", step);

    private Task ExpireAsync(string sql) => _db.RunAsync(async c =>
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    });

    [PostgresFact]
    public async Task A_running_task_is_claimed_by_another_host_only_after_its_lease_expired()
    {
        var store = Tasks();
        await store.CreateAsync(NewTask("a"), "h1", Checkpoint(), default);

        Assert.Empty(await store.ClaimOrphansAsync("h2", default));       // h1 is alive (its lease runs)
        Assert.Null(await store.ClaimAsync("a", "h2", default));

        await ExpireAsync("UPDATE tasks SET lease_expires_at = now() - interval '1 second'");
        var claimed = Assert.Single(await store.ClaimOrphansAsync("h2", default));
        Assert.Equal(("a", 1), (claimed.Id, claimed.Deaths));
        Assert.Empty(await store.ClaimOrphansAsync("h3", default));       // h2's new lease runs
    }

    [PostgresFact]
    public async Task Renewal_keeps_a_hosts_unexpired_leases_and_never_revives_an_expired_one()
    {
        var store = Tasks();
        var leases = new PostgresHostLeases(_db);
        await store.CreateAsync(NewTask("kept"), "h1", Checkpoint(), default);
        await store.CreateAsync(NewTask("lapsed"), "h1", Checkpoint(), default);
        await ExpireAsync("UPDATE tasks SET lease_expires_at = now() + interval '1 second' WHERE id = 'kept'");
        await ExpireAsync("UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE id = 'lapsed'");

        await leases.RenewAsync("h1", Lease, default);

        var left = await _db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("SELECT id, lease_expires_at > now() + interval '1 minute' FROM tasks ORDER BY id", c);
            await using var r = await cmd.ExecuteReaderAsync();
            var rows = new List<(string, bool)>();
            while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetBoolean(1)));
            return rows;
        });
        Assert.Equal([("kept", true), ("lapsed", false)], left);
        Assert.Equal("lapsed", Assert.Single(await store.ClaimOrphansAsync("h2", default)).Id);
    }

    [PostgresFact]
    public async Task Two_hosts_claiming_at_once_take_each_expired_task_once()
    {
        var store = Tasks();
        for (var i = 0; i < 40; i++) await store.CreateAsync(NewTask($"t{i}"), "dead", Checkpoint(), default);
        await ExpireAsync("UPDATE tasks SET lease_expires_at = now() - interval '1 second'");

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(h => Task.Run(() => store.ClaimOrphansAsync($"h{h}", default))));

        var ids = claims.SelectMany(c => c.Select(t => t.Id)).ToList();
        Assert.Equal(40, ids.Count);
        Assert.Equal(40, ids.Distinct().Count());
    }

    [PostgresFact]
    public async Task A_released_task_is_claimed_at_once_by_id_and_by_other_hosts_sweeps_only_after_a_lease()
    {
        var store = Tasks();
        await store.CreateAsync(NewTask("p"), "h1", Checkpoint(), default);
        await store.SetStatusAsync("p", DurableTaskStatus.AwaitingApproval, "approve?", null, default);
        await store.ReleaseAsync("p", default);

        Assert.Empty(await store.ClaimOrphansAsync("h2", default));                 // h1, which released it, resumes it
        Assert.Equal("p", (await store.ClaimAsync("p", "h1", default))?.Id);

        await store.SetStatusAsync("p", DurableTaskStatus.AwaitingApproval, "approve?", null, default);
        await store.ReleaseAsync("p", default);
        await ExpireAsync("UPDATE tasks SET lease_expires_at = now() - interval '1 second'");  // h1 died meanwhile
        Assert.Equal("p", Assert.Single(await store.ClaimOrphansAsync("h2", default)).Id);
    }

    [PostgresFact]
    public async Task A_chat_inbox_has_one_owner_until_it_is_released_or_its_lease_expires()
    {
        var leases = new PostgresHostLeases(_db);
        Assert.True(await leases.TryAcquireChatAsync("telegram:1", "h1", Lease, default));
        Assert.True(await leases.TryAcquireChatAsync("telegram:1", "h1", Lease, default));  // kept by its holder
        Assert.False(await leases.TryAcquireChatAsync("telegram:1", "h2", Lease, default));
        Assert.True(await leases.TryAcquireChatAsync("telegram:2", "h2", Lease, default));  // another chat is free

        await leases.ReleaseChatAsync("telegram:1", "h2", default);                          // not h2's to release
        Assert.False(await leases.TryAcquireChatAsync("telegram:1", "h2", Lease, default));
        await leases.ReleaseChatAsync("telegram:1", "h1", default);
        Assert.True(await leases.TryAcquireChatAsync("telegram:1", "h2", Lease, default));

        await ExpireAsync("UPDATE chat_leases SET lease_expires_at = now() - interval '1 second' WHERE order_key = 'telegram:1'");
        Assert.True(await leases.TryAcquireChatAsync("telegram:1", "h3", Lease, default));
        Assert.False(await leases.TryAcquireChatAsync("telegram:1", "h2", Lease, default));
    }

    [PostgresFact]
    public async Task A_chats_pending_items_are_read_on_their_own_in_order()
    {
        var inbox = new PostgresInboxStore(_db, TimeProvider.System);
        await inbox.EnqueueAsync("telegram", "1", "chat:a", "a1", default);
        await inbox.EnqueueAsync("telegram", "2", "chat:b", "b1", default);
        var a2 = await inbox.EnqueueAsync("telegram", "3", "chat:a", "a2", default);
        await inbox.EnqueueAsync("telegram", "4", "chat:a", "a3", default);
        await inbox.CompleteAsync(a2!.Id, null, default);

        Assert.Equal(["a1", "a3"], (await inbox.PendingAsync("chat:a", default)).Select(i => i.Payload));
    }

    [PostgresFact]
    public async Task The_fence_refuses_journal_writes_and_checkpoints_of_a_host_that_lost_its_lease()
    {
        await Tasks().CreateAsync(NewTask("a"), "h1", Checkpoint(), default);
        var h1Journal = new PostgresToolJournal(_db, Owner("h1"));
        var h2Journal = new PostgresToolJournal(_db, Owner("h2"));
        JournalEntry Intent(string key) => new() { Key = key, TaskId = "a", Step = 1, CallId = key, Tool = "ledger_write", SideEffects = true };

        await h1Journal.RecordIntentAsync(Intent("a:1:c1"), default);               // the holder writes
        await Tasks("h1").SaveCheckpointAsync("a", Checkpoint(1), default);
        await Assert.ThrowsAsync<LeaseLostException>(() => h2Journal.RecordIntentAsync(Intent("a:1:c2"), default));
        await Assert.ThrowsAsync<LeaseLostException>(() => Tasks("h2").SaveCheckpointAsync("a", Checkpoint(2), default));

        await ExpireAsync("UPDATE tasks SET lease_expires_at = now() - interval '1 second'");
        // Expired: the old holder may no longer write, even before anyone claims the task.
        await Assert.ThrowsAsync<LeaseLostException>(() => h1Journal.RecordIntentAsync(Intent("a:1:c3"), default));
        await Assert.ThrowsAsync<LeaseLostException>(() => h1Journal.RecordResultAsync("a:1:c1", "a", ToolResult.Ok("r"), 1, DateTimeOffset.UtcNow, default));
        await Assert.ThrowsAsync<LeaseLostException>(() => Tasks("h1").SaveCheckpointAsync("a", Checkpoint(3), default));

        Assert.NotNull(await Tasks().ClaimAsync("a", "h2", default));
        await h2Journal.RecordResultAsync("a:1:c1", "a", ToolResult.Ok("r"), 1, DateTimeOffset.UtcNow, default);
        var journal = await h2Journal.ListAsync("a", default);
        Assert.Equal(["a:1:c1"], journal.Select(e => e.Key));                         // the refused intents left nothing
        Assert.True(journal[0].HasResult);
        Assert.Equal(1, (await Tasks().LoadCheckpointAsync("a", default))!.Step);
    }

    [PostgresFact]
    public async Task One_host_at_a_time_is_leader_and_the_lock_moves_when_the_leaders_connection_dies()
    {
        var election = new PostgresLeaderElection(_db);
        var first = await election.TryAcquireAsync(default);
        Assert.NotNull(first);
        Assert.Null(await election.TryAcquireAsync(default));

        // The leader's session is killed (as when its process dies): the server releases the lock at once.
        await ExpireAsync($"SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = {PostgresLeaderElection.LockKey & 0xFFFFFFFF}");
        await first.CheckAsync(default);
        Assert.True(first.Lost.IsCancellationRequested);
        await first.DisposeAsync();

        var second = await election.TryAcquireAsync(default);
        Assert.NotNull(second);
        await second.DisposeAsync();                                                 // giving it up frees it too
        await using var third = await election.TryAcquireAsync(default);
        Assert.NotNull(third);
    }
}
