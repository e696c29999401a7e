using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Testing.Knowledge;

namespace Moltworker.Knowledge.Tests.Ingest;

public class ConcurrencyTests
{
    [Fact]
    public async Task Concurrent_ingests_and_searches_do_not_fail_and_end_consistent()
    {
        // Ingesting holds at its first chunk with filler text until every searcher has searched while it was held:
        // searches and ingests overlap for certain, not by luck of timing.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var generator = new GatedEmbeddingGenerator(new HashingEmbeddingGenerator(48), t => t.Contains("filler", StringComparison.Ordinal), release.Task);
        using var harness = new KnowledgeHarness(generator);
        for (var i = 0; i < 40; i++)
            harness.Folder.File($"set{i % 4}/doc{i}.md", $"# Doc {i}\n\nUnique token zebra{i} and shared token quokka.\n\n## More\n\n{string.Join(' ', Enumerable.Repeat("filler words here", 30))}\n");

        using var stop = new CancellationTokenSource();
        var started = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var duringIngest = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var ingestHeld = 0;
        var searches = Enumerable.Range(0, 3).Select(n => Task.Run(async () =>
        {
            var count = 0;
            while (count == 0 || !stop.IsCancellationRequested)
            {
                var results = await harness.Search.SearchAsync("quokka zebra7", 5, null, CancellationToken.None);
                Assert.All(results.Hits, h => Assert.False(string.IsNullOrEmpty(h.Chunk.Text)));
                count++;
                started[n].TrySetResult();
                if (Volatile.Read(ref ingestHeld) == 1) duringIngest[n].TrySetResult();
            }
            return count;
        })).ToList();

        await Task.WhenAll(started.Select(s => s.Task));
        var ingests = Enumerable.Range(0, 4).Select(set =>
            harness.Ingestor.IngestAsync(new IngestRequest([harness.Folder.Combine($"set{set}")]) { Parallelism = 3 }, null, CancellationToken.None)).ToList();
        await generator.Held.WaitAsync(TimeSpan.FromSeconds(30));
        Volatile.Write(ref ingestHeld, 1);
        await Task.WhenAll(duringIngest.Select(d => d.Task)).WaitAsync(TimeSpan.FromSeconds(30)); // each searcher searched mid-ingest
        release.SetResult();
        var summaries = await Task.WhenAll(ingests);
        // the same folder again, concurrently with itself: every file is either added once or unchanged
        var again = await Task.WhenAll(harness.IngestAsync(harness.Folder.Path), harness.IngestAsync(harness.Folder.Path));
        stop.Cancel();
        await Task.WhenAll(searches);

        Assert.All(summaries, s => Assert.Empty(s.Failures));
        Assert.Equal(40, summaries.Sum(s => s.Added));
        Assert.All(again, s => Assert.Equal(40, s.Unchanged));
        var stats = await harness.Store.GetStatsAsync(CancellationToken.None);
        Assert.Equal(40, stats.Documents);
        Assert.Equal(stats.Chunks, stats.Vectors);
        for (var i = 0; i < 40; i += 13)
        {
            var hits = await harness.Store.SearchAsync(new SearchRequest($"zebra{i}", 1) { Vector = new HashingEmbeddingGenerator(48).Embed($"zebra{i}") }, CancellationToken.None);
            Assert.Equal($"doc{i}.md", Path.GetFileName(hits[0].Chunk.Source));
        }
    }
}
