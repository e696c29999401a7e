namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>A finished backup: the file, its size and how long the copy took.</summary>
public sealed record BackupResult(string Path, long Bytes, TimeSpan Elapsed);
