using Microsoft.Data.Sqlite;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>Versioned, idempotent migrations of the knowledge tables (prefix <c>kb_</c>). In the host they are
/// module "knowledge" of the shared database's migrations (<see cref="Migrations"/>); a standalone database file
/// (tests, benchmarks) records them in <c>kb_schema</c> through <see cref="EnsureAsync"/>.</summary>
public static class KnowledgeSchema
{
    public static IEnumerable<SqliteMigration> Migrations => Steps.Select((sql, i) => new SqliteMigration("knowledge", i + 1, sql));

    private static readonly string[] Steps =
    [
        """
        CREATE TABLE IF NOT EXISTS kb_documents (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            hash TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '',
            chunk_count INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            ingested_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS kb_documents_source ON kb_documents(source);
        CREATE TABLE IF NOT EXISTS kb_chunks (
            id INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            headings TEXT NOT NULL,
            text TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            text_start INTEGER NOT NULL,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            vector BLOB);
        CREATE UNIQUE INDEX IF NOT EXISTS kb_chunks_document ON kb_chunks(document_id, position);
        CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts USING fts5(
            title, headings, text, content='kb_chunks', content_rowid='id', tokenize='porter unicode61');
        CREATE TRIGGER IF NOT EXISTS kb_chunks_ai AFTER INSERT ON kb_chunks BEGIN
            INSERT INTO kb_fts(rowid, title, headings, text) VALUES (new.id, new.title, new.headings, new.text);
        END;
        CREATE TRIGGER IF NOT EXISTS kb_chunks_ad AFTER DELETE ON kb_chunks BEGIN
            INSERT INTO kb_fts(kb_fts, rowid, title, headings, text) VALUES ('delete', old.id, old.title, old.headings, old.text);
        END;
        CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT OR IGNORE INTO kb_meta(key, value) VALUES ('generation', 0);
        """,
    ];

    public static async Task EnsureAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS kb_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        for (var version = 1; version <= Steps.Length; version++)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var check = connection.CreateCommand();
            check.Transaction = transaction;
            check.CommandText = "SELECT COUNT(*) FROM kb_schema WHERE version = $v";
            check.Parameters.AddWithValue("$v", version);
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0) continue;

            await using var step = connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = Steps[version - 1] + "; INSERT INTO kb_schema(version, applied_at) VALUES ($v, $at);";
            step.Parameters.AddWithValue("$v", version);
            step.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
            await step.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
