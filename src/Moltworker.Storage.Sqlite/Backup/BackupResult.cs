namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>A finished backup: the file, its size, how long the copy took and in how many steps (see <see cref="BackupPace"/>).</summary>
public sealed record BackupResult(string Path, long Bytes, TimeSpan Elapsed, int Steps);
