using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Stores.Sqlite;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Testing.Knowledge;

namespace Moltworker.Knowledge.Tests.Stores;

public class SqliteStoreTests
{
    private static readonly HashingEmbeddingGenerator Embedder = new(64);

    private static (DocumentInfo, List<KnowledgeChunk>) Document(string source, string markdown, params string[] tags)
    {
        var doc = DocumentReader.FromText(source, markdown, DocumentFormat.Markdown, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), tags);
        var chunks = new Moltworker.Knowledge.Chunking.DocumentChunker(new Moltworker.Knowledge.Chunking.ChunkingOptions(40, 8)).Chunk(doc)
            .Select(c => c with { Vector = Embedder.Embed(c.Text) }).ToList();
        return (new DocumentInfo(doc.Id, doc.Source, doc.Title, doc.Hash, chunks.Count, doc.UpdatedAt) { Tags = doc.Tags }, chunks);
    }

    [Fact]
    public async Task Round_trip_keeps_every_chunk_field_and_finds_it_by_keyword_and_vector()
    {
        using var harness = new KnowledgeHarness();
        var (info, chunks) = Document("/kb/setup.md", "# Setup\n\n## Tokens\n\nPut the Telegram bot token in the environment variable.\n", "ops");
        await harness.Store.ReplaceDocumentAsync(info, chunks, CancellationToken.None);

        var stored = await harness.Store.GetDocumentAsync(info.Id, CancellationToken.None);
        Assert.Equal(info with { Tags = stored!.Tags }, stored);
        Assert.Equal(["ops"], stored.Tags);

        var keyword = await harness.Store.SearchAsync(new SearchRequest("telegram token", 5), CancellationToken.None);
        var hit = Assert.Single(keyword);
        Assert.Equal(chunks[0] with { Vector = null }, hit.Chunk with { HeadingPath = chunks[0].HeadingPath, Tags = chunks[0].Tags });
        Assert.Equal(["Setup", "Tokens"], hit.Chunk.HeadingPath);
        Assert.Equal(["ops"], hit.Chunk.Tags);
        Assert.Equal(1, hit.KeywordRank);

        var vector = await harness.Store.SearchAsync(new SearchRequest("", 5) { Vector = Embedder.Embed("telegram bot token environment"), Mode = SearchMode.Vector }, CancellationToken.None);
        Assert.Equal(hit.Chunk.Id, Assert.Single(vector).Chunk.Id);
        Assert.InRange(vector[0].Score, 0.3, 1.0001);
        Assert.Equal(new KnowledgeStats(1, 1, 1), await harness.Store.GetStatsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Several_documents_in_one_write_are_all_stored_and_a_document_given_twice_keeps_its_last_version()
    {
        using var harness = new KnowledgeHarness();
        var (a1, ca1) = Document("/kb/a.md", "# A\n\nThe walrus protocol handles retries.\n");
        var (b, cb) = Document("/kb/b.md", "# B\n\nThe heron queue holds messages.\n");
        var (a2, ca2) = Document("/kb/a.md", "# A\n\nThe pelican scheduler handles budgets.\n");

        await harness.Store.ReplaceDocumentsAsync([new DocumentWrite(a1, ca1), new DocumentWrite(b, cb), new DocumentWrite(a2, ca2)], CancellationToken.None);

        Assert.Equal(new KnowledgeStats(2, cb.Count + ca2.Count, cb.Count + ca2.Count), await harness.Store.GetStatsAsync(CancellationToken.None));
        Assert.Empty(await harness.Store.SearchAsync(new SearchRequest("walrus", 5), CancellationToken.None));
        Assert.Single(await harness.Store.SearchAsync(new SearchRequest("heron", 5), CancellationToken.None));
        var byVector = await harness.Store.SearchAsync(new SearchRequest("", 10) { Vector = Embedder.Embed("walrus protocol retries"), Mode = SearchMode.Vector }, CancellationToken.None);
        Assert.Equal(cb.Count + ca2.Count, byVector.Count);
        Assert.DoesNotContain(byVector, h => h.Chunk.Text.Contains("walrus", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_write_of_several_documents_that_fails_leaves_none_of_them_stored()
    {
        using var harness = new KnowledgeHarness();
        var (good, goodChunks) = Document("/kb/good.md", "# Good\n\nThe heron queue holds messages.\n");
        var (bad, badChunks) = Document("/kb/bad.md", "# Bad\n\nThe walrus protocol handles retries.\n");
        var clash = badChunks.Concat(badChunks).ToList(); // the same position twice breaks kb_chunks' unique index

        await Assert.ThrowsAsync<Moltworker.Kernel.State.StorageException>(() =>
            harness.Store.ReplaceDocumentsAsync([new DocumentWrite(good, goodChunks), new DocumentWrite(bad with { ChunkCount = clash.Count }, clash)], CancellationToken.None));

        Assert.Equal(new KnowledgeStats(0, 0, 0), await harness.Store.GetStatsAsync(CancellationToken.None));
        Assert.Empty(await harness.Store.SearchAsync(new SearchRequest("heron", 5) { Vector = Embedder.Embed("heron") }, CancellationToken.None));
    }

    [Fact]
    public async Task Replacing_a_document_removes_its_old_chunks_from_keyword_and_vector_search()
    {
        using var harness = new KnowledgeHarness();
        var (v1, c1) = Document("/kb/a.md", "# A\n\nThe walrus protocol handles retries.\n");
        await harness.Store.ReplaceDocumentAsync(v1, c1, CancellationToken.None);
        var walrus = Embedder.Embed("walrus protocol retries");
        Assert.Single(await harness.Store.SearchAsync(new SearchRequest("walrus", 5) { Vector = walrus }, CancellationToken.None));

        var (v2, c2) = Document("/kb/a.md", "# A\n\nThe pelican scheduler handles budgets.\n");
        await harness.Store.ReplaceDocumentAsync(v2, c2, CancellationToken.None);

        Assert.Empty(await harness.Store.SearchAsync(new SearchRequest("walrus", 5), CancellationToken.None));
        var byVector = await harness.Store.SearchAsync(new SearchRequest("", 5) { Vector = walrus, Mode = SearchMode.Vector }, CancellationToken.None);
        Assert.All(byVector, h => Assert.Contains("pelican", h.Chunk.Text));
        Assert.Equal(v2.Hash, (await harness.Store.GetDocumentAsync(v2.Id, CancellationToken.None))!.Hash);
        Assert.Equal(1, (await harness.Store.GetStatsAsync(CancellationToken.None)).Documents);
    }

    [Fact]
    public async Task Deleting_a_document_removes_it_everywhere()
    {
        using var harness = new KnowledgeHarness();
        var (a, ca) = Document("/kb/a.md", "# A\n\nHeron facts.\n");
        var (b, cb) = Document("/kb/b.md", "# B\n\nHeron myths.\n");
        await harness.Store.ReplaceDocumentAsync(a, ca, CancellationToken.None);
        await harness.Store.ReplaceDocumentAsync(b, cb, CancellationToken.None);
        var heron = Embedder.Embed("heron");
        Assert.Equal(2, (await harness.Store.SearchAsync(new SearchRequest("heron", 5) { Vector = heron }, CancellationToken.None)).Count);

        Assert.True(await harness.Store.DeleteDocumentAsync(a.Id, CancellationToken.None));
        Assert.False(await harness.Store.DeleteDocumentAsync(a.Id, CancellationToken.None));

        var hits = await harness.Store.SearchAsync(new SearchRequest("heron", 5) { Vector = heron }, CancellationToken.None);
        Assert.Equal("/kb/b.md", Assert.Single(hits).Chunk.Source);
        Assert.Null(await harness.Store.GetDocumentAsync(a.Id, CancellationToken.None));
        Assert.Equal(new KnowledgeStats(1, 1, 1), await harness.Store.GetStatsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Filters_by_tag_and_source_apply_to_both_rankings()
    {
        using var harness = new KnowledgeHarness();
        foreach (var (source, tag) in new[] { ("/kb/ops/a.md", "ops"), ("/kb/ops/b.md", "dev"), ("/kb/guide/c.md", "ops"), ("/kb/opsx/d.md", "ops") })
        {
            var (info, chunks) = Document(source, "# T\n\nShared lighthouse keyword.\n", tag);
            await harness.Store.ReplaceDocumentAsync(info, chunks, CancellationToken.None);
        }
        var vector = Embedder.Embed("lighthouse");
        foreach (var mode in new[] { SearchMode.Keyword, SearchMode.Vector, SearchMode.Hybrid })
        {
            async Task<string[]> Sources(SearchFilter filter) =>
                (await harness.Store.SearchAsync(new SearchRequest("lighthouse", 10) { Vector = vector, Mode = mode, Filter = filter }, CancellationToken.None))
                .Select(h => h.Chunk.Source).Order().ToArray();

            Assert.Equal(["/kb/guide/c.md", "/kb/ops/a.md", "/kb/opsx/d.md"], await Sources(new SearchFilter { Tags = ["ops"] }));
            Assert.Equal(["/kb/ops/a.md", "/kb/ops/b.md"], await Sources(new SearchFilter { Source = "/kb/ops" }));
            Assert.Equal(["/kb/ops/a.md"], await Sources(new SearchFilter { Source = "/kb/ops/", Tags = ["ops"] }));
            Assert.Equal(["/kb/guide/c.md"], await Sources(new SearchFilter { Source = "/kb/guide/c.md" }));
        }
        Assert.Equal(2, (await harness.Store.ListDocumentsAsync("/kb/ops", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Another_connection_writing_is_seen_by_the_vector_index()
    {
        using var harness = new KnowledgeHarness();
        var path = harness.Folder.Combine("data/kb.db");
        var other = new SqliteKnowledgeStore(new FileConnectionFactory(path));
        var (a, ca) = Document("/kb/a.md", "# A\n\nOstrich one.\n");
        await harness.Store.ReplaceDocumentAsync(a, ca, CancellationToken.None);
        var ostrich = Embedder.Embed("ostrich");
        Assert.Single(await harness.Store.SearchAsync(new SearchRequest("", 5) { Vector = ostrich, Mode = SearchMode.Vector }, CancellationToken.None));

        var (b, cb) = Document("/kb/b.md", "# B\n\nOstrich two.\n");
        await other.ReplaceDocumentAsync(b, cb, CancellationToken.None);   // like the CLI writing while the host runs

        Assert.Equal(2, (await harness.Store.SearchAsync(new SearchRequest("", 5) { Vector = ostrich, Mode = SearchMode.Vector }, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Query_text_cannot_inject_fts5_syntax()
    {
        using var harness = new KnowledgeHarness();
        var (a, ca) = Document("/kb/a.md", "# A\n\nNEAR quotes and stars.\n");
        await harness.Store.ReplaceDocumentAsync(a, ca, CancellationToken.None);
        foreach (var query in new[] { "\"unbalanced", "NEAR(", "stars*", "a OR", "col:umn", "-", "()" })
            await harness.Store.SearchAsync(new SearchRequest(query, 5), CancellationToken.None);
        Assert.Single(await harness.Store.SearchAsync(new SearchRequest("\"stars\"", 5), CancellationToken.None));
    }
}
