using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Memory;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Memory;
using Moltworker.Knowledge.Options;
using Moltworker.Knowledge.Tests.Support;

namespace Moltworker.Knowledge.Tests.Memory;

/// <summary>The ranking of one user's memories: BM25 on stemmed words, vectors fused in when an embedding model is
/// configured, and words alone when the query cannot be embedded.</summary>
public class MemoryRankerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    private static MemoryRanker Ranker(IEmbeddingGenerator<string, Embedding<float>>? generator = null, ListLogger<MemoryRanker>? log = null) =>
        new(generator is null ? KnowledgeEmbedder.None : new KnowledgeEmbedder(generator, "concepts"), new KnowledgeOptions(),
            Microsoft.Extensions.Options.Options.Create(new MemoryOptions()), log ?? new ListLogger<MemoryRanker>(), TimeProvider.System);

    private static async Task<List<UserMemory>> MemoriesAsync(MemoryRanker ranker, params string[] texts)
    {
        var list = new List<UserMemory>();
        for (var i = 0; i < texts.Length; i++)
            list.Add(new UserMemory($"m{i}", "telegram:1", texts[i], T0.AddMinutes(i)) { Embedding = await ranker.EmbedAsync(texts[i], default) });
        return list;
    }

    [Fact]
    public async Task Words_match_by_their_stem_and_rare_words_weigh_more_than_common_ones()
    {
        var ranker = Ranker();
        var memories = await MemoriesAsync(ranker,
            "Prefers running in the morning before work",
            "Works at the harbour office",
            "Allergic to peanuts",
            "Work laptop is a ThinkPad");
        Assert.All(memories, m => Assert.Null(m.Embedding));

        var ranked = await ranker.RankAsync("Do I like to run mornings?", memories, 5, default);
        Assert.Equal(["m0"], ranked.Select(r => r.Memory.Id));          // "run" meets "running", "mornings" meets "morning"

        var peanut = await ranker.RankAsync("peanut allergy and work", memories, 5, default);
        Assert.Equal("m2", peanut[0].Memory.Id);                          // two rare terms beat the common "work"
        Assert.Equal(4, peanut.Count);
        Assert.Empty(await ranker.RankAsync("favourite colour", memories, 5, default));
        Assert.Single(await ranker.RankAsync("work", memories, 1, default));
    }

    [Fact]
    public async Task With_embeddings_a_memory_that_shares_no_word_is_found_by_its_meaning()
    {
        var ranker = Ranker(new ConceptEmbeddingGenerator());
        var memories = await MemoriesAsync(ranker, "Drives an old Volvo automobile", "Grows tulips in the yard", "Allergic to peanuts");
        Assert.All(memories, m => Assert.NotNull(m.Embedding));

        Assert.Empty(await Ranker().RankAsync("Who should fix my car?", memories, 5, default));   // keywords alone: nothing
        var ranked = await ranker.RankAsync("Who should fix my car?", memories, 5, default);
        Assert.Equal(["m0"], ranked.Select(r => r.Memory.Id));                                      // below MinSimilarity: left out
    }

    [Fact]
    public async Task When_the_query_cannot_be_embedded_the_ranking_is_by_words_and_says_so_in_the_log()
    {
        var log = new ListLogger<MemoryRanker>();
        var failing = new FailingGenerator();
        var ranker = Ranker(failing, log);
        var memories = new List<UserMemory>
        {
            new("m0", "telegram:1", "Drives an old Volvo automobile", T0) { Embedding = ConceptEmbeddingGenerator.Embed("Drives an old Volvo automobile") },
            new("m1", "telegram:1", "Allergic to peanuts", T0) { Embedding = ConceptEmbeddingGenerator.Embed("Allergic to peanuts") },
        };
        Assert.Null(await ranker.EmbedAsync("new memory", default));   // a new memory is kept without a vector
        var ranked = await ranker.RankAsync("peanuts", memories, 5, default);
        Assert.Equal(["m1"], ranked.Select(r => r.Memory.Id));
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("matched by their words", StringComparison.Ordinal));
    }

    private sealed class FailingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new EmbeddingHttpException("503 from the embedding server", System.Net.HttpStatusCode.ServiceUnavailable, true);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
