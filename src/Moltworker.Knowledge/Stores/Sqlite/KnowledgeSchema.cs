using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>Versioned, idempotent migrations of the knowledge tables (prefix <c>kb_</c>): module "knowledge" of
/// <c>schema_migrations</c>, in the host's shared database or in a standalone file (<see cref="OpenFile"/>).</summary>
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
        // Document-level index: one row per document (title, every heading, the text without chunk overlap), so a
        // document's BM25 sees all of its evidence. kb_doc_keys gives each document a stable integer key.
        """
        CREATE TABLE IF NOT EXISTS kb_doc_keys (
            key INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL UNIQUE);
        CREATE VIRTUAL TABLE IF NOT EXISTS kb_doc_fts USING fts5(
            title, headings, text, content='', contentless_delete=1, tokenize='porter unicode61');
        INSERT OR IGNORE INTO kb_doc_keys(document_id) SELECT id FROM kb_documents ORDER BY id;
        INSERT INTO kb_doc_fts(rowid, title, headings, text)
            SELECT k.key, d.title,
                (SELECT group_concat(h, ' ') FROM (SELECT DISTINCT headings AS h FROM kb_chunks WHERE document_id = d.id)),
                (SELECT group_concat(t, ' ') FROM (SELECT substr(text, start_offset - text_start + 1) AS t
                    FROM kb_chunks WHERE document_id = d.id ORDER BY position))
            FROM kb_documents d JOIN kb_doc_keys k ON k.document_id = d.id;
        """,
    ];

    /// <summary>Per-connection pragmas of a standalone knowledge file, measured to matter for search: memory-mapped reads
    /// (1 GiB) and a 32 MiB page cache.</summary>
    public const string SearchPragmas = "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -32768;";

    /// <summary>Standalone files written before the knowledge base used <see cref="SqliteDatabase"/> recorded their
    /// versions in <c>kb_schema</c>; those records move into <c>schema_migrations</c> (module "knowledge") on first open.</summary>
    public static readonly SqliteLegacyVersions LegacyVersions = new("knowledge", "kb_schema");

    /// <summary>A standalone knowledge database file: the knowledge migrations, <see cref="SearchPragmas"/>, and
    /// adoption of an older file's <c>kb_schema</c>.</summary>
    public static SqliteDatabase OpenFile(string path) => SqliteDatabase.ForFile(path, Migrations,
        new SqliteFileSettings { ConnectionPragmas = SearchPragmas, LegacyVersions = [LegacyVersions] });
}
