using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Options;
using Moltworker.Knowledge.Stores.Qdrant;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Testing.Knowledge;
using Moltworker.Testing.Qdrant;

namespace Moltworker.Knowledge.Tests.Qdrant;

public class QdrantStoreTests
{
    internal static QdrantKnowledgeStore Store(Uri url, string collection = "kb", string? apiKey = null, int retries = 2)
    {
        var options = new QdrantOptions { Url = url.ToString(), Collection = collection, ApiKey = apiKey, MaxRetries = retries, RetryBaseDelay = TimeSpan.Zero, UpsertBatchSize = 2, ScrollPageSize = 32 };
        return new QdrantKnowledgeStore(new QdrantClient(RetryingHttp.Create(QdrantClient.RetrySettings(options)), options), options);
    }

    [Fact]
    public async Task Ingest_search_update_prune_against_the_schema_checking_server()
    {
        await using var server = await QdrantTestServer.StartAsync();
        var store = Store(server.BaseAddress);
        var embedder = new HashingEmbeddingGenerator(32);
        using var harness = new KnowledgeHarness(embedder, new Moltworker.Knowledge.Chunking.ChunkingOptions(30, 5), store);
        var a = harness.Folder.File("docs/ops/a.md", "---\ntags: [ops]\n---\n# Deploy\n\n## Tokens\n\nPut the bot token in an environment variable. " + string.Join(' ', Enumerable.Repeat("filler", 60)) + "\n");
        harness.Folder.File("docs/guide/b.md", "# Guide\n\nPlugins are plain classes with tool methods.\n");

        var first = await harness.IngestAsync(harness.Folder.Combine("docs"));
        Assert.Equal(2, first.Added);
        Assert.Empty(server.Violations);

        var collection = server.State.Collections["kb"];
        Assert.Equal(32, collection.DenseSize("dense"));
        Assert.True(collection.SparseIdf("bm25"));
        Assert.Equal(["document_id", "kind", "position", "source", "source_prefixes", "tags"], collection.Indexes.Keys.Order());
        Assert.All(server.Requests.Where(r => r.OperationId is "upsert_points" or "delete_points" or "create_field_index"), r => Assert.Contains("wait=true", r.Query));

        Assert.Equal(2, (await harness.IngestAsync(harness.Folder.Combine("docs"))).Unchanged);

        var hybrid = await harness.Search.SearchAsync("bot token environment", 3, null, CancellationToken.None);
        Assert.Equal("hybrid", hybrid.Mode);
        Assert.Equal("a.md", Path.GetFileName(hybrid.Hits[0].Chunk.Source));
        Assert.Equal(["Deploy", "Tokens"], hybrid.Hits[0].Chunk.HeadingPath);
        var query = server.Requests.Last(r => r.OperationId == "query_points").Body!;
        Assert.Equal("rrf", query["query"]!["fusion"]!.GetValue<string>());
        Assert.Equal(["bm25", "dense"], query["prefetch"]!.AsArray().Select(p => p!["using"]!.GetValue<string>()));

        var keyword = await store.SearchAsync(new SearchRequest("plugins classes", 3), CancellationToken.None);
        Assert.Equal("b.md", Path.GetFileName(keyword[0].Chunk.Source));

        var filtered = await harness.Search.SearchAsync("token plugins", 10, new SearchFilter { Tags = ["ops"] }, CancellationToken.None);
        Assert.All(filtered.Hits, h => Assert.EndsWith("a.md", h.Chunk.Source));
        var bySource = await harness.Search.SearchAsync("token plugins", 10, new SearchFilter { Source = harness.Folder.Combine("docs/guide") }, CancellationToken.None);
        Assert.All(bySource.Hits, h => Assert.EndsWith("b.md", h.Chunk.Source));
        Assert.NotEmpty(bySource.Hits);

        var before = (await store.GetStatsAsync(CancellationToken.None)).Chunks;
        File.WriteAllText(a, "# Deploy\n\nShort now.\n");
        Assert.Equal(1, (await harness.IngestAsync(harness.Folder.Combine("docs"))).Updated);
        var after = await store.GetStatsAsync(CancellationToken.None);
        Assert.True(after.Chunks < before, $"{after.Chunks} < {before}");
        Assert.Empty(await store.SearchAsync(new SearchRequest("filler", 5), CancellationToken.None));
        Assert.Equal(after.Chunks, after.Vectors);

        File.Delete(a);
        var pruned = await harness.Ingestor.IngestAsync(new IngestRequest([harness.Folder.Combine("docs")]) { Prune = true }, null, CancellationToken.None);
        Assert.Equal(1, pruned.Removed);
        Assert.Equal(new KnowledgeStats(1, 1, 1), await store.GetStatsAsync(CancellationToken.None));
        Assert.Equal("b.md", Path.GetFileName(Assert.Single(await store.ListDocumentsAsync(null, CancellationToken.None)).Source));

        Assert.Empty(server.Violations);
        Assert.All(server.Requests, r => Assert.True(r.Status == 200, $"{r.OperationId} answered {r.Status}"));
    }

    [Fact]
    public async Task Keyword_only_collection_has_no_dense_vector_and_lists_documents_across_scroll_pages()
    {
        await using var server = await QdrantTestServer.StartAsync();
        var store = Store(server.BaseAddress);
        using var harness = new KnowledgeHarness(null, null, store);
        for (var i = 0; i < 80; i++) harness.Folder.File($"d{i:000}.txt", $"Document number {i} mentions llama{i}.");
        Assert.Equal(80, (await harness.IngestAsync(harness.Folder.Path)).Added);

        Assert.False(server.State.Collections["kb"].Config.ContainsKey("vectors"));
        Assert.Equal(80, (await store.ListDocumentsAsync(harness.Folder.Path, CancellationToken.None)).Count);
        Assert.True(server.Requests.Count(r => r.OperationId == "scroll_points" && r.Body?["offset"] is not null) >= 2);
        var hits = await harness.Search.SearchAsync("llama42", 3, null, CancellationToken.None);
        Assert.Equal("keyword-only", hits.Mode);
        Assert.Equal("d042.txt", Path.GetFileName(hits.Hits[0].Chunk.Source));
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Transient_errors_are_retried_and_qdrant_error_messages_surface()
    {
        await using var server = await QdrantTestServer.StartAsync();
        var store = Store(server.BaseAddress);
        using var harness = new KnowledgeHarness(null, null, store);
        harness.Folder.File("a.md", "# A\n\nRetry me.\n");
        server.EnqueueFault(503);
        server.EnqueueFault(500, "Service internal error: shard busy");
        Assert.Equal(1, (await harness.IngestAsync(harness.Folder.Path)).Added);
        Assert.Equal(2, server.Requests.Count(r => r.Status >= 500));

        server.State.Collections.TryRemove("kb", out _); // deleted behind our back: the client still believes it exists
        var error = await Assert.ThrowsAsync<QdrantException>(() => store.SearchAsync(new SearchRequest("retry", 3), CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Contains("Collection `kb` doesn't exist", error.Message);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Api_key_is_sent_and_a_wrong_key_is_reported_without_echoing_it()
    {
        await using var server = await QdrantTestServer.StartAsync(apiKey: "secret-key");
        var good = Store(server.BaseAddress, apiKey: "secret-key");
        var bad = Store(server.BaseAddress, apiKey: "wrong-key-VALUE", retries: 0);
        Assert.Equal(new KnowledgeStats(0, 0, 0), await good.GetStatsAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<QdrantException>(() => bad.GetStatsAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.DoesNotContain("wrong-key-VALUE", error.Message);
    }

    [Fact]
    public async Task Health_uses_readyz()
    {
        await using var server = await QdrantTestServer.StartAsync();
        var store = Store(server.BaseAddress);
        Assert.True((await store.CheckHealthAsync(CancellationToken.None)).Healthy);
        server.Ready = false;
        var entry = await store.CheckHealthAsync(CancellationToken.None);
        Assert.False(entry.Healthy);
        Assert.Contains("readyz", entry.Hint);
        Assert.Contains(server.Requests, r => r.OperationId == "readyz");
    }

    [Fact]
    public async Task The_server_rejects_bodies_the_document_rejects_in_qdrants_error_envelope()
    {
        await using var server = await QdrantTestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var created = await http.PutAsync("collections/x", new StringContent("""{"sparse_vectors":{"s":{"modifier":"idf"}}}""", System.Text.Encoding.UTF8, "application/json"));
        var ok = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal("ok", ok["status"]!.GetValue<string>());
        Assert.True(ok["result"]!.GetValue<bool>());
        Assert.True(ok["time"]!.GetValue<double>() >= 0);

        var invalid = await http.PostAsync("collections/x/points/query?wait=maybe", new StringContent("""{"limit":"ten","usng":"s"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var error = JsonNode.Parse(await invalid.Content.ReadAsStringAsync())!;
        var message = error["status"]!["error"]!.GetValue<string>();
        Assert.Contains("$.limit", message);
        Assert.Contains("$.usng", message);
        Assert.Contains("'wait' is not declared", message);
        Assert.NotNull(error["time"]);
        Assert.Equal(3, server.Violations.Count);

        var missing = await http.GetAsync("collections/nope/exists");
        Assert.False(JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["result"]!["exists"]!.GetValue<bool>());
        var notFound = await http.PostAsync("collections/nope/points/count", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Contains("doesn't exist", JsonNode.Parse(await notFound.Content.ReadAsStringAsync())!["status"]!["error"]!.GetValue<string>());
    }
}
