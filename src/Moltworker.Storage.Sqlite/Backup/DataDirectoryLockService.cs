using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>Holds the <see cref="DataDirectoryLock"/> while the host runs, so <c>moltworker restore</c> refuses to replace
/// the database under it. A second host on the same folder is not stopped (SQLite copes), but it is logged.</summary>
public sealed partial class DataDirectoryLockService(SqliteDatabase database, ILogger<DataDirectoryLockService> logger) : IHostedService, IDisposable
{
    private DataDirectoryLock? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _lock = DataDirectoryLock.TryAcquire(database.Directory);
        if (_lock is null) LogShared(database.Directory);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another process holds the data directory {Directory}: two hosts share one database")]
    private partial void LogShared(string directory);
}
