using Microsoft.Data.Sqlite;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Journal;

/// <summary>
/// Serializes the journal module's writes inside the process. SQLite allows one writer at a time; without this, the calls
/// of a parallel batch (intent, transaction row, result each) collide on the write lock, and SQLite's busy handler sleeps
/// for milliseconds between attempts. Queued on a semaphore, a write waits only for the few microseconds of the one before.
/// </summary>
public sealed class JournalWriteGate(SqliteDatabase db)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try { return await db.RunAsync(work, cancellationToken); }
        finally { _gate.Release(); }
    }

    public Task WriteAsync(Func<SqliteConnection, Task> work, CancellationToken cancellationToken) =>
        WriteAsync(async c => { await work(c); return true; }, cancellationToken);
}
