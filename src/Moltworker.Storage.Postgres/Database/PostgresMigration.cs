namespace Moltworker.Storage.Postgres.Database;

/// <summary>One schema step of one module ("core", "journal", "apikeys"…), numbered as the SQLite provider numbers the
/// same module's steps. Each runs once, in its own transaction, and is recorded in <c>schema_migrations</c>.</summary>
public sealed record PostgresMigration(string Module, int Version, string Sql);
