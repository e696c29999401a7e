using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>Every <see cref="BackupOptions.Every"/>, writes an online backup of the host's database into
/// <see cref="BackupOptions.Directory"/> and deletes all but the newest <see cref="BackupOptions.Keep"/>. A failed backup is
/// logged and tried again at the next interval.</summary>
public sealed partial class ScheduledBackupService(SqliteDatabase database, IOptions<BackupOptions> options, TimeProvider time, ILogger<ScheduledBackupService> logger)
    : BackgroundService
{
    public const string Prefix = "moltworker-";

    /// <summary>Raised after each scheduled backup (success or failure), for tests and metrics.</summary>
    public event Action<BackupResult?>? Completed;

    public string Folder => Path.Combine(database.Directory, options.Value.Directory);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.Every;
        if (every <= TimeSpan.Zero) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(every, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
            BackupResult? result = null;
            try
            {
                var name = $"{Prefix}{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.db";
                result = await SqliteBackup.BackupAsync(database.Path, Path.Combine(Folder, name), stoppingToken);
                LogWritten(result.Path, result.Bytes, result.Elapsed.TotalMilliseconds);
                Prune();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { LogFailed(ex, Folder); }
            Completed?.Invoke(result);
        }
    }

    private void Prune()
    {
        var old = new DirectoryInfo(Folder).GetFiles(Prefix + "*.db")
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Skip(Math.Max(1, options.Value.Keep));
        foreach (var file in old) file.Delete();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup written: {Path} ({Bytes} bytes in {Ms:0} ms)")]
    private partial void LogWritten(string path, long bytes, double ms);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled backup into {Folder} failed; trying again at the next interval")]
    private partial void LogFailed(Exception ex, string folder);
}
