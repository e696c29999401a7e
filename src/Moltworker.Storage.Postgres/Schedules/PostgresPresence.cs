using Npgsql;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Schedules;

/// <summary>
/// This host's presence on the server: one connection held open for the life of the process. Its server process id is
/// what a schedule claim records (<c>claim_pid</c>); a claim holds while that process is in <c>pg_stat_activity</c>,
/// so the claims of a host that died (its connection closed with it) stop holding at once, without a timeout.
/// A lost connection is opened again on next use, and the caller moves its claims to the new process id. A claim whose
/// <c>claim_pid</c> is null (released at a clean stop) holds for nobody.
/// </summary>
internal sealed class PostgresPresence(PostgresDatabase db) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _connection;
    private int _pid;

    /// <summary>The server process id of the presence connection, checked alive by a round trip; <c>Renewed</c> is
    /// true when the connection had to be opened again (claims recorded under the old id no longer hold).</summary>
    public async Task<(int Pid, bool Renewed)> PidAsync(CancellationToken cancellationToken)
    {
        await db.EnsureReadyAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not null)
            {
                try
                {
                    await using var ping = new NpgsqlCommand("SELECT pg_backend_pid()", _connection);
                    if ((int)(await ping.ExecuteScalarAsync(cancellationToken))! == _pid) return (_pid, false);
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException) { }
                await _connection.DisposeAsync();
                _connection = null;
            }
            var renewed = _pid != 0;
            try
            {
                _connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
                _pid = _connection.ProcessID;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException) { throw PostgresErrors.Translate(ex, db.Target); }
            return (_pid, renewed);
        }
        finally { _gate.Release(); }
    }

    /// <summary>Stopping: the claims made under this presence are released (the runs they cover stay due at their due
    /// time, for another host or the next start), then the connection is closed. Best effort: a host whose server is gone
    /// leaves claims that stop holding with its server process anyway.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is null) return;
        try
        {
            await using var release = new NpgsqlCommand("UPDATE schedules SET claim_pid = NULL WHERE claim_pid = @pid", _connection).With("pid", _pid);
            await release.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException) { }
        await _connection.DisposeAsync();
        _connection = null;
    }
}
