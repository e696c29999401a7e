namespace Moltworker.Storage.Sqlite.Database;

/// <summary>What a database opened by <see cref="SqliteDatabase.ForFile"/> adds to the host's connection rules
/// (WAL, busy_timeout, foreign keys, synchronous=NORMAL, background checkpoints).</summary>
public sealed record SqliteFileSettings
{
    /// <summary>Extra per-connection pragmas, run after the host's on every open (e.g. <c>PRAGMA mmap_size=…;</c>).</summary>
    public string? ConnectionPragmas { get; init; }

    /// <summary>Older version tables whose records are adopted into <c>schema_migrations</c> (<see cref="SqliteLegacyVersions"/>).</summary>
    public IReadOnlyList<SqliteLegacyVersions> LegacyVersions { get; init; } = [];
}
