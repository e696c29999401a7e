using Npgsql;

namespace Moltworker.Storage.Postgres.Database;

/// <summary>Runs batch commands on a connection: one statement a store also offers to a combined write
/// (<see cref="Journal.PostgresTaskEndStore"/>), so its text and parameters are written once.</summary>
internal static class BatchCommands
{
    public static async Task ExecuteAsync(this NpgsqlConnection connection, CancellationToken cancellationToken, params NpgsqlBatchCommand[] commands)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in commands) batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
