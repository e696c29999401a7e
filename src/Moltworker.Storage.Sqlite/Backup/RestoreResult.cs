namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>A finished restore: the database now in place, and where the one it replaced was kept (null when there was none).</summary>
public sealed record RestoreResult(string DatabasePath, string? PreviousKeptAs);
