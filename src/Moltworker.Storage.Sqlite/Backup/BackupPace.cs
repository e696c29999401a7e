namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>
/// How <see cref="SqliteBackup"/> copies: <see cref="PagesPerStep"/> pages at a time, then a pause of
/// <see cref="PauseRatio"/> times as long as that step took, so a running host's turns get the disk and the CPU between
/// steps. The copy then takes about (1 + <see cref="PauseRatio"/>) times as long as one unbroken copy would.
/// </summary>
/// <param name="PagesPerStep">Pages copied per step (SQLite's default page is 4 KiB: 1,024 pages are 4 MiB). At least 1.</param>
/// <param name="PauseRatio">The pause after each step, as a multiple of that step's time; 0 copies without pausing.</param>
public sealed record BackupPace(int PagesPerStep, double PauseRatio)
{
    /// <summary>The pace of <c>moltworker backup</c> and scheduled backups (measured with the <c>backup</c> benchmark,
    /// docs/deployment.md#numbers).</summary>
    public static BackupPace Default { get; } = new(1024, 0.5);

    /// <summary>One unbroken copy (no pause between steps).</summary>
    public static BackupPace Unpaced { get; } = new(int.MaxValue, 0);
}
