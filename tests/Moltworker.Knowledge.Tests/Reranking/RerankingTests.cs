using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Knowledge.Reranking;
using Moltworker.Knowledge.Search;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Testing.Knowledge;
using Moltworker.Testing.Time;

namespace Moltworker.Knowledge.Tests.Reranking;

public sealed class RerankingTests
{
    /// <summary>BM25 prefers noise.md (it repeats "photos"); the reranker's stand-in (prefix matching) also sees that
    /// guide.md's "Recovery" answers "recover", and prefers it.</summary>
    private static async Task<KnowledgeHarness> CorpusAsync()
    {
        var harness = new KnowledgeHarness();
        harness.Folder.File("noise.md", "# Photos\n\nphotos photos photos of cats.");
        harness.Folder.File("guide.md", "# Recovery\n\nRecovery tools bring back deleted pictures that were lost.");
        harness.Folder.File("other.md", "# Gardening\n\nA plan for tulips.");
        await harness.IngestAsync(harness.Folder.Path);
        return harness;
    }

    private static KnowledgeSearchService Search(KnowledgeHarness harness, RerankTestServer server, TimeProvider clock, ILogger<RerankingStage> logger)
    {
        var options = new RerankingOptions { BaseUrl = server.BaseUrl, Model = "test-reranker", Timeout = TimeSpan.FromSeconds(2) };
        var stage = new RerankingStage(new HttpReranker(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, options), options, logger, clock);
        return new KnowledgeSearchService(harness.Store, harness.Embedder, harness.Options, NullLogger<KnowledgeSearchService>.Instance, clock, stage);
    }

    private static async Task<List<string>> FirstStageAsync(KnowledgeHarness harness, string query) =>
        (await harness.Search.SearchAsync(query, 3, null, CancellationToken.None)).Hits.Select(h => Path.GetFileName(h.Chunk.Source)).ToList();

    [Fact]
    public async Task The_reranker_reorders_the_first_stage_candidates_and_reads_title_and_section()
    {
        using var harness = await CorpusAsync();
        await using var server = await RerankTestServer.StartAsync();
        var search = Search(harness, server, TimeProvider.System, new ListLogger<RerankingStage>());
        const string query = "how do I recover lost photos";

        Assert.Equal("noise.md", (await FirstStageAsync(harness, query))[0]);
        var results = await search.SearchAsync(query, 1, null, CancellationToken.None);

        // One passage asked for, both candidates reranked.
        Assert.Equal(["guide.md"], results.Hits.Select(h => Path.GetFileName(h.Chunk.Source)));
        Assert.Equal([1], results.Hits.Select(h => h.Rank));
        Assert.Equal("keyword-only, reranked", results.Mode);
        var body = Assert.Single(server.Bodies);
        Assert.Equal("test-reranker", body["model"]!.GetValue<string>());
        Assert.Equal(query, body["query"]!.GetValue<string>());
        Assert.Equal(2, body["documents"]!.AsArray().Count);
        Assert.Contains(body["documents"]!.AsArray(), d => d!.GetValue<string>().StartsWith("Recovery\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_500_keeps_the_first_stage_order_and_the_reason_is_logged_once()
    {
        using var harness = await CorpusAsync();
        await using var server = await RerankTestServer.StartAsync();
        var logger = new ListLogger<RerankingStage>();
        var search = Search(harness, server, TimeProvider.System, logger);
        const string query = "how do I recover lost photos";
        var firstStage = await FirstStageAsync(harness, query);

        server.EnqueueFault(500);
        server.EnqueueFault(500);
        var failed = await search.SearchAsync(query, 3, null, CancellationToken.None);
        var again = await search.SearchAsync(query, 3, null, CancellationToken.None);

        Assert.Equal(firstStage, failed.Hits.Select(h => Path.GetFileName(h.Chunk.Source)));
        Assert.Equal(firstStage, again.Hits.Select(h => Path.GetFileName(h.Chunk.Source)));
        Assert.Equal("keyword-only", failed.Mode);
        Assert.Contains("500", failed.Note);
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("500", line.Message);

        // After a success, a new failure is logged again.
        Assert.Equal("keyword-only, reranked", (await search.SearchAsync(query, 3, null, CancellationToken.None)).Mode);
        server.EnqueueFault(503);
        await search.SearchAsync(query, 3, null, CancellationToken.None);
        Assert.Equal(2, logger.Lines.Count);
    }

    [Fact]
    public async Task A_reranker_slower_than_its_budget_keeps_the_first_stage_order()
    {
        using var harness = await CorpusAsync();
        await using var server = await RerankTestServer.StartAsync();
        server.Hang = true;
        var clock = new FakeTimeProvider();
        var logger = new ListLogger<RerankingStage>();
        var search = Search(harness, server, clock, logger);
        const string query = "how do I recover lost photos";
        var firstStage = await FirstStageAsync(harness, query);

        var pending = search.SearchAsync(query, 3, null, CancellationToken.None);
        await server.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(2), await clock.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(2)));
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));
        var results = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(firstStage, results.Hits.Select(h => Path.GetFileName(h.Chunk.Source)));
        Assert.Contains("no answer within 2 s", results.Note);
        Assert.Contains("no answer within 2 s", Assert.Single(logger.Lines).Message);
    }

    [Fact]
    public void Settings_are_validated()
    {
        Assert.Empty(new RerankingOptions().Validate());
        Assert.Equal(2, new RerankingOptions { BaseUrl = "ftp://x", Model = "" }.Validate().Count());
        Assert.Single(new RerankingOptions { BaseUrl = "http://localhost:8080/v1", Model = "m", TopN = 1 }.Validate());
    }
}
