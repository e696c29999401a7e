using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Search;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Testing.Time;

namespace Moltworker.Knowledge.Tests.Embeddings;

public sealed class QueryEmbeddingTimeoutTests
{
    /// <summary>An embeddings endpoint that accepts the request and never answers.</summary>
    private sealed class HangingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    [Fact]
    public async Task A_query_embedding_that_never_answers_falls_back_to_keywords_within_the_budget()
    {
        using var harness = new KnowledgeHarness();
        harness.Folder.File("a.md", "# Aardvarks\n\nAardvarks dig burrows at night.\n");
        await harness.IngestAsync(harness.Folder.Path);
        var clock = new FakeTimeProvider { AutoAdvance = true }; // the budget's timer fires at once: no real waiting
        var search = new KnowledgeSearchService(harness.Store, new KnowledgeEmbedder(new HangingGenerator(), "hanging"), harness.Options,
            NullLogger<KnowledgeSearchService>.Instance, clock);

        var results = await search.SearchAsync("aardvarks", 3, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("keyword-only", results.Mode);
        Assert.Contains("did not answer within 5 s", results.Note);
        Assert.NotEmpty(results.Hits);
    }
}
