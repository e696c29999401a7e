using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Options;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Testing.Knowledge;
using Moltworker.Testing.Time;

namespace Moltworker.Knowledge.Tests.Embeddings;

public class EmbeddingsTests
{
    private static KnowledgeEmbedder Http(EmbeddingsTestServer server, int batchSize = 3, int retries = 2, string? key = null)
    {
        var options = new EmbeddingOptions
        {
            BaseUrl = server.BaseUrl, Model = "text-embedding-test", ApiKey = key, BatchSize = batchSize,
            MaxRetries = retries, RetryBaseDelay = TimeSpan.Zero, RetryMaxDelay = TimeSpan.Zero,
        };
        return new KnowledgeEmbedder(Generator(options, TimeProvider.System), options.Model);
    }

    /// <summary>The host's registration (<see cref="EmbeddingServiceCollectionExtensions.AddHttpEmbeddingGenerator"/>):
    /// the named HttpClient with its retries, the library's generator, batching.</summary>
    private static IEmbeddingGenerator<string, Embedding<float>> Generator(EmbeddingOptions options, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time);
        services.AddSingleton(options);
        services.AddHttpEmbeddingGenerator();
        return services.BuildServiceProvider().GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
    }

    [Fact]
    public async Task Embeddings_are_batched_in_order_normalized_and_authorized()
    {
        await using var server = await EmbeddingsTestServer.StartAsync(dimensions: 24, apiKey: "sk-test");
        var embedder = Http(server, batchSize: 3, key: "sk-test");
        var texts = Enumerable.Range(0, 7).Select(i => $"text number {i} about topic{i}").ToList();

        var vectors = await embedder.EmbedAsync(texts, CancellationToken.None);

        Assert.Equal([3, 3, 1], server.Requests.Select(r => r.Count));
        Assert.Equal(texts, server.Requests.SelectMany(r => r));
        Assert.All(server.Bodies, b => Assert.Equal("text-embedding-test", b["model"]!.GetValue<string>()));
        var expected = new HashingEmbeddingGenerator(24).Embed(texts[4]);
        Assert.Equal(expected, vectors[4], (x, y) => Math.Abs(x - y) < 1e-5);
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4));
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_permanent_ones_are_not()
    {
        await using var server = await EmbeddingsTestServer.StartAsync(dimensions: 8);
        var embedder = Http(server, retries: 2);
        server.EnqueueFault(503);
        server.EnqueueFault(429, "rate limited");
        Assert.Single(await embedder.EmbedAsync(["hello"], CancellationToken.None));
        Assert.Equal(3, server.Bodies.Count);

        server.EnqueueFault(400, "bad input");
        var error = await Assert.ThrowsAsync<EmbeddingHttpException>(() => embedder.EmbedAsync(["x"], CancellationToken.None));
        Assert.Contains("400", error.Message);
        Assert.Contains("bad input", error.Message);
        Assert.Equal(4, server.Bodies.Count);

        for (var i = 0; i < 3; i++) server.EnqueueFault(500, "down");
        var exhausted = await Assert.ThrowsAsync<EmbeddingHttpException>(() => embedder.EmbedAsync(["x"], CancellationToken.None));
        Assert.True(exhausted.Transient);
    }

    [Fact]
    public async Task Retry_After_in_seconds_or_as_an_HTTP_date_is_waited_for_on_the_injected_clock()
    {
        await using var server = await EmbeddingsTestServer.StartAsync(dimensions: 8);
        var time = new FakeTimeProvider { AutoAdvance = true };
        var options = new EmbeddingOptions
        {
            BaseUrl = server.BaseUrl, Model = "text-embedding-test", MaxRetries = 3,
            RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(30),
        };
        var generator = Generator(options, time);
        server.EnqueueFault(429, "slow down", "7");
        server.EnqueueFault(503, "maintenance", time.GetUtcNow().AddSeconds(20).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        server.EnqueueFault(500, "down");

        Assert.Single(await generator.GenerateAsync(["hello"]));

        Assert.Equal(4, server.Bodies.Count);
        // 7 s as asked; until the date (20 s after the clock when the answer came, 7 s later: 13 s); then the backoff (1 × 2²).
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(13), TimeSpan.FromSeconds(4)],
            time.RequestedDelays.Where(d => d < TimeSpan.FromSeconds(59)));
    }

    [Fact]
    public async Task Without_embeddings_search_is_keyword_only_and_says_so()
    {
        using var harness = new KnowledgeHarness();
        harness.Folder.File("a.md", "# A\n\nPenguins swim.\n");
        await harness.IngestAsync(harness.Folder.Path);
        var results = await harness.Search.SearchAsync("penguins", 3, null, CancellationToken.None);
        Assert.Equal("keyword-only", results.Mode);
        Assert.Contains("No embedding model is configured", results.Note);
        Assert.Null(results.Hits[0].VectorRank);
        Assert.Contains("keyword-only", harness.Search.Describe);
    }

    [Fact]
    public async Task When_the_query_embedding_fails_search_falls_back_to_keywords_with_a_note()
    {
        await using var server = await EmbeddingsTestServer.StartAsync(dimensions: 16);
        var embedder = Http(server, retries: 0);
        using var harness = new KnowledgeHarness();
        var store = harness.Store;
        var ingestor = new Moltworker.Knowledge.Ingest.KnowledgeIngestor(store, harness.Chunker, embedder, TimeProvider.System, NullLogger<Moltworker.Knowledge.Ingest.KnowledgeIngestor>.Instance);
        harness.Folder.File("a.md", "# A\n\nOtters hold hands.\n");
        await ingestor.IngestAsync(new Moltworker.Knowledge.Ingest.IngestRequest([harness.Folder.Path]), null, CancellationToken.None);
        var search = new Moltworker.Knowledge.Search.KnowledgeSearchService(store, embedder, new KnowledgeOptions(), NullLogger<Moltworker.Knowledge.Search.KnowledgeSearchService>.Instance);

        var hybrid = await search.SearchAsync("otters", 3, null, CancellationToken.None);
        Assert.Equal("hybrid", hybrid.Mode);
        Assert.Equal(1, hybrid.Hits[0].VectorRank);

        server.EnqueueFault(500, "model crashed");
        var fallback = await search.SearchAsync("otters", 3, null, CancellationToken.None);
        Assert.Equal("keyword-only", fallback.Mode);
        Assert.Contains("model crashed", fallback.Note);
        Assert.Single(fallback.Hits);
    }
}
