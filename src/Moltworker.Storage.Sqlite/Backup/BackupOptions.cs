namespace Moltworker.Storage.Sqlite.Backup;

/// <summary><c>Moltworker:Backup</c>: scheduled online backups of <c>moltworker.db</c> while the host runs.</summary>
public sealed class BackupOptions
{
    public const string Section = "Moltworker:Backup";

    /// <summary>How often the running host writes a backup (e.g. <c>1.00:00:00</c> for daily); zero (the default) writes none.
    /// The first one is written one interval after start.</summary>
    public TimeSpan Every { get; set; } = TimeSpan.Zero;

    /// <summary>How many scheduled backups to keep in <see cref="Directory"/>; older ones are deleted after each new one.</summary>
    public int Keep { get; set; } = 7;

    /// <summary>Folder of the scheduled backups (files <c>moltworker-yyyyMMdd-HHmmss.db</c>). Relative paths are under the data
    /// directory; the default is <c>&lt;DataDirectory&gt;/backups</c>. Prefer another disk.</summary>
    public string Directory { get; set; } = "backups";
}
