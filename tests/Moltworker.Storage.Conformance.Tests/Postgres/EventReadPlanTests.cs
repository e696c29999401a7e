using Moltworker.Kernel.Events;
using Moltworker.Storage.Postgres.Database;
using Moltworker.Storage.Postgres.Events;
using Moltworker.Testing.Postgres;
using Npgsql;

namespace Moltworker.Storage.Conformance.Tests.Postgres;

/// <summary>
/// The event log is read at every append (the watch) and at every stream's catch-up. A new database's event table is
/// empty when those reads are first prepared, and grows by a dozen events a turn; a read must not scan the whole table
/// once it has grown. Each test reads often on the nearly empty table (so a prepared statement has a cached plan, made
/// for an empty table), then fills the table without analysing it, then reads again and counts the table's scans in
/// the same transaction (<c>pg_stat_xact_user_tables</c>).
/// </summary>
public sealed class EventReadPlanTests : IAsyncLifetime
{
    private const int Rows = 20_000;
    private TestDatabase _database = null!;
    private PostgresDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _db = new PostgresDatabase(_database.ConnectionString, PostgresSchema.All);
        await _db.EnsureReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }

    [PostgresFact]
    public async Task The_watchs_read_of_every_event_after_an_id_after_the_table_grew_uses_the_primary_key_not_a_scan_of_every_event()
    {
        await using var connection = await _db.OpenDedicatedAsync(default);

        var (sequential, read) = await ScansAfterGrowthAsync(connection, new EventQuery { AfterId = Rows - 10 });

        Assert.Equal(10, read);
        Assert.Equal(0, sequential);
    }

    [PostgresFact]
    public async Task A_read_of_one_chat_or_one_task_after_the_table_grew_uses_its_index_not_a_scan_of_every_event()
    {
        await using var connection = await _db.OpenDedicatedAsync(default);

        var (byChat, chatRead) = await ScansAfterGrowthAsync(connection, new EventQuery { ChatId = "chat-7", Channel = "api" });
        var (byTask, taskRead) = await ScansAfterGrowthAsync(connection, new EventQuery { TaskId = "task-7" }, fill: false);

        Assert.Equal((0, Rows / 100), (byChat, chatRead));
        Assert.Equal((0, Rows / 100), (byTask, taskRead));
    }

    /// <summary>Reads <paramref name="query"/> 20 times on the empty table, fills it (chat and task <c>i mod 100</c>), then,
    /// in one transaction, reads it three times: the table's sequential scans in that transaction and the rows read.</summary>
    private static async Task<(long Sequential, int Read)> ScansAfterGrowthAsync(NpgsqlConnection connection, EventQuery query, bool fill = true)
    {
        for (var i = 0; i < 20; i++) await PostgresEventLog.ReadAsync(connection, query, default);
        if (fill)
            await ExecAsync(connection, $$"""
                INSERT INTO events (seq, name, at, task_id, thread_id, channel, chat_id, data)
                SELECT i, 'po_state', now(), 'task-' || (i % 100), 'task-' || (i % 100), 'api', 'chat-' || (i % 100), '{}'
                FROM generate_series(1, {{Rows}}) AS i
                """);
        await using var tx = await connection.BeginTransactionAsync();   // this backend's counts are not flushed in a transaction
        var before = await SequentialScansAsync(connection);
        var read = 0;
        for (var i = 0; i < 3; i++) read = (await PostgresEventLog.ReadAsync(connection, query, default)).Count;
        var sequential = await SequentialScansAsync(connection) - before;
        await tx.CommitAsync();
        return (sequential, read);
    }

    /// <summary>The sequential scans of the event table this backend counted and has not yet reported.</summary>
    private static async Task<long> SequentialScansAsync(NpgsqlConnection connection)
    {
        await using var cmd = new NpgsqlCommand("SELECT COALESCE(sum(seq_scan), 0)::bigint FROM pg_stat_xact_user_tables WHERE relname = 'events'", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task ExecAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
