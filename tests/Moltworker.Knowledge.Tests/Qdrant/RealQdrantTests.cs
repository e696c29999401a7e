using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Testing.Knowledge;

namespace Moltworker.Knowledge.Tests.Qdrant;

public class RealQdrantTests
{
    [QdrantFact]
    public async Task Round_trip_against_a_real_qdrant()
    {
        var url = new Uri(Environment.GetEnvironmentVariable("QDRANT_URL")!);
        var collection = "moltworker_test_" + Guid.NewGuid().ToString("N")[..8];
        var store = QdrantStoreTests.Store(url, collection, Environment.GetEnvironmentVariable("QDRANT_API_KEY"));
        using var harness = new KnowledgeHarness(new HashingEmbeddingGenerator(32), null, store);
        harness.Folder.File("a.md", "---\ntags: [real]\n---\n# Real\n\nQdrant stores the narwhal passage.\n");
        harness.Folder.File("b.md", "# Other\n\nSomething about penguins.\n");
        try
        {
            Assert.Equal(2, (await harness.IngestAsync(harness.Folder.Path)).Added);
            Assert.Equal(2, (await harness.IngestAsync(harness.Folder.Path)).Unchanged);
            var results = await harness.Search.SearchAsync("narwhal", 2, new SearchFilter { Tags = ["real"] }, CancellationToken.None);
            Assert.Equal("a.md", Path.GetFileName(results.Hits[0].Chunk.Source));
            var keyword = await store.SearchAsync(new SearchRequest("penguins", 1), CancellationToken.None);
            Assert.Equal("b.md", Path.GetFileName(keyword[0].Chunk.Source));
            Assert.Equal(2, (await store.GetStatsAsync(CancellationToken.None)).Documents);
            Assert.True((await store.CheckHealthAsync(CancellationToken.None)).Healthy);
        }
        finally
        {
            using var http = new HttpClient();
            var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(url, $"collections/{collection}"));
            if (Environment.GetEnvironmentVariable("QDRANT_API_KEY") is { Length: > 0 } key) request.Headers.Add("api-key", key);
            await http.SendAsync(request);
        }
    }
}
