using Npgsql;
using Moltworker.Kernel.Cluster;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Leases;

/// <summary>
/// The leader is the host that holds a session-level advisory lock (<c>pg_try_advisory_lock</c>) on a connection of its
/// own. When that host dies, the server sees its connection drop and releases the lock, and the next host to try gets
/// it. The term ends when the connection stops answering; disposing it unlocks and closes the connection.
/// </summary>
public sealed class PostgresLeaderElection(PostgresDatabase db) : ILeaderElection
{
    /// <summary>The lock's key ("moltlead"), apart from the migrations' key.</summary>
    public const long LockKey = 0x6d6f6c746c656164;

    public async Task<ILeaderTerm?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var connection = await db.OpenDedicatedAsync(cancellationToken);
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            cmd.Parameters.AddWithValue("key", LockKey);
            if (await cmd.ExecuteScalarAsync(cancellationToken) is true) return new Term(connection);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw PostgresErrors.Translate(ex, db.Target);
        }
        await connection.DisposeAsync();
        return null;
    }

    private sealed class Term(NpgsqlConnection connection) : ILeaderTerm
    {
        private readonly CancellationTokenSource _lost = new();

        public CancellationToken Lost => _lost.Token;

        public async Task CheckAsync(CancellationToken cancellationToken)
        {
            try
            {
                await using var cmd = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 5 };
                await cmd.ExecuteScalarAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                await _lost.CancelAsync(); // the connection, and with it the lock, is gone
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _lost.CancelAsync();
            await connection.DisposeAsync(); // closing the session releases its advisory lock
            _lost.Dispose();
        }
    }
}
