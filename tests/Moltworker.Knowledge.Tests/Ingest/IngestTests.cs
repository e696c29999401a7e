using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Testing.Knowledge;

namespace Moltworker.Knowledge.Tests.Ingest;

public class IngestTests
{
    [Fact]
    public async Task Ingest_is_idempotent_by_content_hash_changed_files_replace_and_prune_removes_deleted()
    {
        var embedder = new HashingEmbeddingGenerator(32);
        using var harness = new KnowledgeHarness(embedder);
        var a = harness.Folder.File("docs/a.md", "# A\n\nAardvarks dig burrows.\n");
        var b = harness.Folder.File("docs/sub/b.txt", "Badgers are nocturnal.\n");
        harness.Folder.File("docs/c.html", "<h1>C</h1><p>Cormorants dive.</p>");
        harness.Folder.File("docs/bin/skip.md", "# build output\n");
        harness.Folder.File("docs/.hidden/skip.md", "# hidden\n");
        harness.Folder.File("docs/image.png", "not text");

        var first = await harness.IngestAsync(harness.Folder.Combine("docs"));
        Assert.Equal((3, 3, 0, 0, 0), (first.Files, first.Added, first.Updated, first.Unchanged, first.Removed));
        Assert.Equal("hybrid", first.Mode);
        var calls = embedder.Calls;

        var second = await harness.IngestAsync(harness.Folder.Combine("docs"));
        Assert.Equal((3, 0, 0, 3, 0, 0), (second.Files, second.Added, second.Updated, second.Unchanged, second.Removed, second.Chunks));
        Assert.Equal(calls, embedder.Calls); // nothing re-embedded

        File.WriteAllText(a, "# A\n\nAardvarks eat termites.\n");
        var third = await harness.IngestAsync(harness.Folder.Combine("docs"));
        Assert.Equal((1, 2), (third.Updated, third.Unchanged));
        Assert.Empty(await harness.Store.SearchAsync(new SearchRequest("burrows", 5), CancellationToken.None));
        Assert.Single(await harness.Store.SearchAsync(new SearchRequest("termites", 5), CancellationToken.None));

        File.Delete(b);
        var withoutPrune = await harness.IngestAsync(harness.Folder.Combine("docs"));
        Assert.Equal(0, withoutPrune.Removed);
        Assert.Single(await harness.Store.SearchAsync(new SearchRequest("badgers", 5), CancellationToken.None));

        var pruned = await harness.Ingestor.IngestAsync(new IngestRequest([harness.Folder.Combine("docs")]) { Prune = true }, null, CancellationToken.None);
        Assert.Equal(1, pruned.Removed);
        Assert.Empty(await harness.Store.SearchAsync(new SearchRequest("badgers", 5), CancellationToken.None));
        Assert.Equal(2, (await harness.Store.GetStatsAsync(CancellationToken.None)).Documents);
    }

    [Fact]
    public async Task Changing_chunk_settings_or_embedding_model_reingests()
    {
        using var harness = new KnowledgeHarness();
        harness.Folder.File("a.md", "# A\n\nSome text here.\n");
        Assert.Equal("keyword-only", (await harness.IngestAsync(harness.Folder.Path)).Mode);

        var other = new KnowledgeIngestor(harness.Store, new Moltworker.Knowledge.Chunking.DocumentChunker(new(200, 10)), harness.Embedder, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<KnowledgeIngestor>.Instance);
        Assert.Equal(1, (await other.IngestAsync(new IngestRequest([harness.Folder.Path]), null, CancellationToken.None)).Updated);

        var embedded = new KnowledgeIngestor(harness.Store, harness.Chunker, new Moltworker.Knowledge.Embeddings.KnowledgeEmbedder(new HashingEmbeddingGenerator(16), "m"),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<KnowledgeIngestor>.Instance);
        Assert.Equal(1, (await embedded.IngestAsync(new IngestRequest([harness.Folder.Path]), null, CancellationToken.None)).Updated);
        Assert.Equal(1, (await harness.Store.GetStatsAsync(CancellationToken.None)).Vectors);
    }

    [Fact]
    public async Task A_new_embedding_model_with_another_size_replaces_the_vectors_used_by_search()
    {
        using var harness = new KnowledgeHarness(new HashingEmbeddingGenerator(16, "small"));
        harness.Folder.File("a.md", "# A\n\nNarwhal tusks.\n");
        harness.Folder.File("b.md", "# B\n\nWalrus whiskers.\n");
        await harness.IngestAsync(harness.Folder.Path);
        var small = new HashingEmbeddingGenerator(16).Embed("narwhal");
        Assert.NotEmpty(await harness.Store.SearchAsync(new SearchRequest("", 2) { Vector = small, Mode = SearchMode.Vector }, CancellationToken.None));

        var bigger = new HashingEmbeddingGenerator(32, "bigger");
        var ingestor = new KnowledgeIngestor(harness.Store, harness.Chunker, new Moltworker.Knowledge.Embeddings.KnowledgeEmbedder(bigger, "bigger"),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<KnowledgeIngestor>.Instance);
        File.WriteAllText(harness.Folder.Combine("c.md"), "# C\n\nNarwhal pods.\n");
        Assert.Equal(1, (await ingestor.IngestAsync(new IngestRequest([harness.Folder.Combine("c.md")]), null, CancellationToken.None)).Added);
        var hits = await harness.Store.SearchAsync(new SearchRequest("", 5) { Vector = bigger.Embed("narwhal"), Mode = SearchMode.Vector }, CancellationToken.None);
        Assert.Equal("c.md", Path.GetFileName(Assert.Single(hits).Chunk.Source)); // only the newest size is searched

        Assert.Equal(2, (await ingestor.IngestAsync(new IngestRequest([harness.Folder.Path]), null, CancellationToken.None)).Updated);
        Assert.Equal(3, (await harness.Store.SearchAsync(new SearchRequest("", 5) { Vector = bigger.Embed("narwhal"), Mode = SearchMode.Vector }, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Progress_is_reported_per_file_and_missing_paths_are_failures()
    {
        using var harness = new KnowledgeHarness();
        for (var i = 0; i < 5; i++) harness.Folder.File($"f{i}.md", $"# F{i}\n\nText {i}.\n");
        var reports = new List<IngestProgress>();
        var summary = await harness.Ingestor.IngestAsync(new IngestRequest([harness.Folder.Path, harness.Folder.Combine("missing")]) { Tags = ["extra"] },
            new SyncProgress(reports.Add), CancellationToken.None);
        Assert.Equal(5, reports.Count);
        Assert.Equal(5, reports[^1].FilesDone);
        Assert.Equal(5, reports[^1].Added);
        Assert.Contains("missing", Assert.Single(summary.Failures).Path);
        var hit = (await harness.Store.SearchAsync(new SearchRequest("text", 1), CancellationToken.None))[0];
        Assert.Contains("extra", hit.Chunk.Tags);
    }

    [Fact]
    public async Task Ingesting_again_with_a_new_tag_updates_the_unchanged_file()
    {
        using var harness = new KnowledgeHarness();
        harness.Folder.File("a.md", "# A\n\nAardvarks dig burrows.\n");
        await harness.Ingestor.IngestAsync(new IngestRequest([harness.Folder.Path]), null, CancellationToken.None);

        var tagged = await harness.Ingestor.IngestAsync(new IngestRequest([harness.Folder.Path]) { Tags = ["zoo"] }, null, CancellationToken.None);

        Assert.Equal((1, 0), (tagged.Updated, tagged.Unchanged));
        var hit = (await harness.Store.SearchAsync(new SearchRequest("aardvarks", 1), CancellationToken.None))[0];
        Assert.Contains("zoo", hit.Chunk.Tags);
    }

    [Fact]
    public async Task Files_over_the_size_limit_are_reported_not_ingested()
    {
        using var harness = new KnowledgeHarness();
        harness.Folder.File("big.md", "# Big\n\n" + new string('x', 2000));
        harness.Folder.File("small.md", "# Small\n\nok\n");
        var ingestor = new KnowledgeIngestor(harness.Store, harness.Chunker, harness.Embedder, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<KnowledgeIngestor>.Instance, new Moltworker.Knowledge.Options.KnowledgeOptions { MaxFileBytes = 1000 });
        var summary = await ingestor.IngestAsync(new IngestRequest([harness.Folder.Path]), null, CancellationToken.None);
        Assert.Equal(1, summary.Added);
        Assert.Contains("MaxFileBytes", Assert.Single(summary.Failures).Error);
    }

    [Fact]
    public async Task A_document_the_store_refuses_fails_alone_and_the_rest_of_its_batch_is_stored()
    {
        using var inner = new KnowledgeHarness();
        var store = new RefusingStore(inner.Store, "bad.md");
        var ingestor = new KnowledgeIngestor(store, inner.Chunker, inner.Embedder, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<KnowledgeIngestor>.Instance);
        for (var i = 0; i < 30; i++) inner.Folder.File($"doc{i:00}.md", $"# Doc {i}\n\nUnique token zebra{i}.\n");
        inner.Folder.File("bad.md", "# Bad\n\nUnique token okapi.\n");

        var reports = new List<IngestProgress>();
        var summary = await ingestor.IngestAsync(new IngestRequest([inner.Folder.Path]), new SyncProgress(reports.Add), CancellationToken.None);

        Assert.Equal((31, 30), (summary.Files, summary.Added));
        Assert.EndsWith("bad.md", Assert.Single(summary.Failures).Path);
        Assert.Equal(31, reports[^1].FilesDone);
        Assert.Equal(30, (await inner.Store.GetStatsAsync(CancellationToken.None)).Documents);
        Assert.Empty(await inner.Store.SearchAsync(new SearchRequest("okapi", 5), CancellationToken.None));
        Assert.Single(await inner.Store.SearchAsync(new SearchRequest("zebra17", 5), CancellationToken.None));
        Assert.Equal(30, store.Stored);
    }

    /// <summary>A store whose writes fail when they hold the document from <paramref name="refused"/>: a whole batch
    /// (as a failed transaction would) or that document alone.</summary>
    private sealed class RefusingStore(Moltworker.Knowledge.Stores.IKnowledgeStore inner, string refused) : Moltworker.Knowledge.Stores.IKnowledgeStore
    {
        private int _stored;

        public int Stored => Volatile.Read(ref _stored);

        public string Kind => inner.Kind;

        public Task<DocumentInfo?> GetDocumentAsync(string documentId, CancellationToken cancellationToken) => inner.GetDocumentAsync(documentId, cancellationToken);

        public Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string? sourcePrefix, CancellationToken cancellationToken) => inner.ListDocumentsAsync(sourcePrefix, cancellationToken);

        public Task ReplaceDocumentAsync(DocumentInfo document, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken) =>
            ReplaceDocumentsAsync([new DocumentWrite(document, chunks)], cancellationToken);

        public async Task ReplaceDocumentsAsync(IReadOnlyList<DocumentWrite> documents, CancellationToken cancellationToken)
        {
            if (documents.Any(d => d.Document.Source.EndsWith(refused, StringComparison.Ordinal)))
                throw new Moltworker.Kernel.State.StorageException("The knowledge database could not be written: disk I/O error");
            await inner.ReplaceDocumentsAsync(documents, cancellationToken);
            Interlocked.Add(ref _stored, documents.Count);
        }

        public Task<bool> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken) => inner.DeleteDocumentAsync(documentId, cancellationToken);

        public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken) => inner.SearchAsync(request, cancellationToken);

        public Task<KnowledgeStats> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);

        public Task<Moltworker.Kernel.State.HealthEntry> CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);
    }

    private sealed class SyncProgress(Action<IngestProgress> report) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value)
        {
            lock (this) report(value);
        }
    }
}
