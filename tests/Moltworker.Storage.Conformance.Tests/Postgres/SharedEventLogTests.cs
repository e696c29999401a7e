using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Events;
using Moltworker.Storage.Postgres.Database;
using Moltworker.Storage.Postgres.Events;
using Moltworker.Testing.Postgres;
using Npgsql;

namespace Moltworker.Storage.Conformance.Tests.Postgres;

/// <summary>The event log shared by several hosts: ids in commit order across hosts, and the watch that delivers every
/// host's events once, in id order, also across a lost connection.</summary>
public sealed class SharedEventLogTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private readonly List<PostgresDatabase> _hosts = [];

    public async Task InitializeAsync()
    {
        if (TestPostgres.SkipReason is null) _database = await TestPostgres.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    /// <summary>One host's connection to the shared database.</summary>
    private PostgresDatabase Host()
    {
        var db = new PostgresDatabase(_database!.ConnectionString, PostgresSchema.All);
        _hosts.Add(db);
        return db;
    }

    /// <summary>Events as one host's recorder numbers them: its own ids from 1 (the shared log renumbers them).</summary>
    private static List<StoredEvent> Batch(string host, int first, int count) => Enumerable.Range(first, count).Select(i => new StoredEvent
    {
        Id = i, Seq = i, Name = "po_state", At = DateTimeOffset.UtcNow, TaskId = $"{host}-task", ThreadId = $"{host}-task",
        Channel = "api", ChatId = host, Data = $$"""{"n":{{i}}}""",
    }).ToList();

    [PostgresFact]
    public async Task Two_hosts_appending_at_once_get_distinct_ids_in_commit_order_and_a_third_host_watches_them_all_once_in_order()
    {
        var (a, b, watcher) = (new PostgresEventLog(Host()), new PostgresEventLog(Host()), Host());
        await watcher.EnsureReadyAsync();
        var delivered = Channel.CreateUnbounded<StoredEvent>();
        using var stop = new CancellationTokenSource();
        var watch = new PostgresEventWatch(watcher, TimeProvider.System, NullLogger<PostgresEventWatch>.Instance)
            .WatchAsync(0, batch => { foreach (var e in batch) delivered.Writer.TryWrite(e); }, stop.Token);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).AppendAsync(Batch(i % 2 == 0 ? "a" : "b", i * 10 + 1, 10), default))));

        var seen = await ReadAsync(delivered, 200);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seen.Select(e => e.Id));   // no gap, no duplicate, in order
        Assert.Equal(100, seen.Count(e => e.ChatId == "a"));
        Assert.Equal(seen.Select(e => e.Id), (await a.ReadAsync(new EventQuery { Limit = 1000 }, default)).Select(e => e.Id));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
    }

    [PostgresFact]
    public async Task The_watch_catches_up_after_its_connection_is_lost_and_delivers_nothing_twice()
    {
        var (log, watcher) = (new PostgresEventLog(Host()), Host());
        await log.AppendAsync(Batch("a", 1, 3), default);
        var delivered = Channel.CreateUnbounded<StoredEvent>();
        using var stop = new CancellationTokenSource();
        var watch = new PostgresEventWatch(watcher, TimeProvider.System, NullLogger<PostgresEventWatch>.Instance)
            .WatchAsync(1, batch => { foreach (var e in batch) delivered.Writer.TryWrite(e); }, stop.Token);
        Assert.Equal([2L, 3], (await ReadAsync(delivered, 2)).Select(e => e.Id));   // after the id it started from

        // The server ends the watch's connection; events stored meanwhile arrive once it is connected again.
        await using (var admin = new NpgsqlConnection(_database!.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("""
                SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND (query LIKE 'LISTEN%' OR query LIKE '%FROM events%WHERE id > $1%')
                """, admin);
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);
        }
        await log.AppendAsync(Batch("a", 4, 2), default);

        Assert.Equal([4L, 5], (await ReadAsync(delivered, 2)).Select(e => e.Id));
        await log.AppendAsync(Batch("a", 6, 1), default);
        Assert.Equal([6L], (await ReadAsync(delivered, 1)).Select(e => e.Id));
        Assert.False(delivered.Reader.TryRead(out _));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
    }

    private static async Task<List<StoredEvent>> ReadAsync(Channel<StoredEvent> delivered, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var list = new List<StoredEvent>();
        while (list.Count < count) list.Add(await delivered.Reader.ReadAsync(timeout.Token));
        return list;
    }
}
