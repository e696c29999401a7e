namespace Moltworker.Storage.Sqlite.Database;

/// <summary>One schema step of one module ("core", "journal", "knowledge"…). Versions count up per module;
/// each runs once, in its own transaction, and is recorded in <c>schema_migrations</c>.</summary>
public sealed record SqliteMigration(string Module, int Version, string Sql);
