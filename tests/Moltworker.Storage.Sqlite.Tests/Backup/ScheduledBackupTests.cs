using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Storage.Sqlite.Backup;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Testing.Time;

namespace Moltworker.Storage.Sqlite.Tests.Backup;

/// <summary><see cref="ScheduledBackupService"/>: one backup per interval of the (fake) clock, the newest <c>Keep</c> kept.</summary>
public sealed class ScheduledBackupTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "moltworker-scheduled-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Every_interval_writes_a_backup_and_keeps_the_newest_ones()
    {
        var time = new FakeTimeProvider();
        var db = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = _dir }), CoreMigrations.All);
        await db.RunAsync(_ => Task.CompletedTask); // the file exists
        var service = new ScheduledBackupService(db, Options.Create(new BackupOptions { Every = TimeSpan.FromHours(6), Keep = 2, Directory = "backups" }),
            time, NullLogger<ScheduledBackupService>.Instance);
        var results = new List<BackupResult?>();
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Completed += r => { lock (results) results.Add(r); next.TrySetResult(); };

        await service.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await time.WaitForTimerAsync(TimeSpan.FromHours(6));
            time.Advance(TimeSpan.FromHours(6));
            await next.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        await service.StopAsync(CancellationToken.None);

        Assert.All(results, Assert.NotNull);
        var files = Directory.GetFiles(Path.Combine(_dir, "backups")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["moltworker-20260102-000000.db", "moltworker-20260102-060000.db"], files);
    }
}
