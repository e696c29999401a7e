using Microsoft.Data.Sqlite;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Stores.Sqlite;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Testing.Knowledge;

namespace Moltworker.Knowledge.Tests.Stores;

/// <summary>A knowledge base in its own file is a <c>SqliteDatabase</c>: schema_migrations, the host's pragmas plus the
/// measured search pragmas, and files of the older layout (versions in <c>kb_schema</c>) keep working.</summary>
public class StandaloneFileTests
{
    private static readonly HashingEmbeddingGenerator Embedder = new(32);

    private static (DocumentInfo, List<KnowledgeChunk>) Document(string source, string markdown)
    {
        var doc = DocumentReader.FromText(source, markdown, DocumentFormat.Markdown, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), []);
        var chunks = new Moltworker.Knowledge.Chunking.DocumentChunker(new Moltworker.Knowledge.Chunking.ChunkingOptions(40, 8)).Chunk(doc)
            .Select(c => c with { Vector = Embedder.Embed(c.Text) }).ToList();
        return (new DocumentInfo(doc.Id, doc.Source, doc.Title, doc.Hash, chunks.Count, doc.UpdatedAt) { Tags = doc.Tags }, chunks);
    }

    private static async Task<object?> ScalarAsync(IKnowledgeConnectionFactory factory, string sql)
    {
        await using var connection = await factory.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_file_written_with_kb_schema_opens_keeps_its_content_and_moves_its_version_into_schema_migrations()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("data/kb.db");
        var (doc, chunks) = Document("/kb/walrus.md", "# Walrus\n\nThe walrus protocol handles retries.\n");
        await new SqliteKnowledgeStore(new FileConnectionFactory(path)).ReplaceDocumentAsync(doc, chunks, CancellationToken.None);
        SqliteConnection.ClearAllPools();
        // Turn it into a file of the older layout: versions in kb_schema, no schema_migrations.
        await ExecAsync(path, """
            CREATE TABLE kb_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
            INSERT INTO kb_schema VALUES (1, '2025-11-02T08:00:00.0000000+00:00');
            DROP TABLE schema_migrations;
            """);

        var factory = new FileConnectionFactory(path);
        var store = new SqliteKnowledgeStore(factory);

        var hit = Assert.Single(await store.SearchAsync(new SearchRequest("walrus retries", 5), CancellationToken.None));
        Assert.Equal(doc.Id, hit.Chunk.DocumentId);
        Assert.Single(await store.SearchAsync(new SearchRequest("", 5) { Vector = Embedder.Embed("walrus protocol"), Mode = SearchMode.Vector }, CancellationToken.None));
        Assert.Equal("2025-11-02T08:00:00.0000000+00:00",
            await ScalarAsync(factory, "SELECT applied_at FROM schema_migrations WHERE module = 'knowledge' AND version = 1"));
        Assert.Equal(0L, await ScalarAsync(factory, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'kb_schema'"));

        // New writes work on the adopted file, and a later open has nothing to adopt.
        var (more, moreChunks) = Document("/kb/pelican.md", "# Pelican\n\nThe pelican scheduler handles budgets.\n");
        await store.ReplaceDocumentAsync(more, moreChunks, CancellationToken.None);
        SqliteConnection.ClearAllPools();
        var reopened = new SqliteKnowledgeStore(new FileConnectionFactory(path));
        Assert.Equal(2, (await reopened.ListDocumentsAsync(null, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Connections_to_a_standalone_file_have_the_hosts_pragmas_and_the_search_pragmas()
    {
        using var folder = new TempFolder();
        var factory = new FileConnectionFactory(folder.Combine("data/kb.db"));

        Assert.Equal("wal", await ScalarAsync(factory, "PRAGMA journal_mode"));
        Assert.Equal(5000L, await ScalarAsync(factory, "PRAGMA busy_timeout"));
        Assert.Equal(1073741824L, await ScalarAsync(factory, "PRAGMA mmap_size"));
        Assert.Equal(-32768L, await ScalarAsync(factory, "PRAGMA cache_size"));
        Assert.Equal(2L, await ScalarAsync(factory, "SELECT COUNT(*) FROM schema_migrations WHERE module = 'knowledge'"));
        Assert.Equal(0L, await ScalarAsync(factory, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'kb_schema'"));
    }
}
