using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Options;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>Holds the <see cref="DataDirectoryLock"/> while the host runs, so <c>moltworker restore</c> refuses to replace
/// the database under it. A second host on the same folder is not stopped (SQLite copes), but it is logged. It starts
/// before the host listens, so it takes the folder from the settings (<see cref="DatabaseFiles"/>) rather than from
/// <see cref="SqliteDatabase"/>, which would load SQLite on the way to the first answer.</summary>
public sealed partial class DataDirectoryLockService(IOptions<StorageOptions> options, ILogger<DataDirectoryLockService> logger) : IHostedService, IStartsBeforeListening, IDisposable
{
    private DataDirectoryLock? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = DatabaseFiles.FolderOf(DatabaseFiles.MainPath(options.Value));
        _lock = DataDirectoryLock.TryAcquire(directory);
        if (_lock is null) LogShared(directory);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another process holds the data directory {Directory}: two hosts share one database")]
    private partial void LogShared(string directory);
}
