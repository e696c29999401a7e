namespace Moltworker.Storage.Sqlite.Database;

/// <summary>
/// A module's schema versions recorded by an older, module-own table (<c>version INTEGER, applied_at TEXT</c>) instead
/// of <c>schema_migrations</c>. On first open the versions are copied into <c>schema_migrations</c> under
/// <see cref="Module"/> and the old table is dropped, in one transaction, before any migration runs; the steps the
/// old table recorded are therefore not run again.
/// </summary>
public sealed record SqliteLegacyVersions(string Module, string Table);
