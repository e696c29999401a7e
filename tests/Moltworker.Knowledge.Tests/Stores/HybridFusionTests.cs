using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Stores;
using Moltworker.Knowledge.Tests.Support;

namespace Moltworker.Knowledge.Tests.Stores;

public class HybridFusionTests
{
    [Fact]
    public void Rrf_sums_reciprocal_ranks_and_breaks_ties_by_first_appearance()
    {
        var fused = RrfFusion.Fuse<string>([["a", "b", "c"], ["c", "a", "d"]], k: 60);
        Assert.Equal(["a", "c", "b", "d"], fused.Select(f => f.Id));
        Assert.Equal(1.0 / 61 + 1.0 / 62, fused[0].Score, 12);
        Assert.Equal(1.0 / 63 + 1.0 / 61, fused[1].Score, 12);

        var tie = RrfFusion.Fuse<string>([["x", "y"], ["y", "x"]], k: 60);
        Assert.Equal(["x", "y"], tie.Select(f => f.Id));
    }

    private static readonly (string File, string Text)[] Corpus =
    [
        ("a.md", "# Automobile maintenance\n\nHow a mechanic services the motor."),
        ("b.md", "# Car prices\n\nCheap cars cost less to insure."),
        ("c.md", "# Rose garden\n\nTulip and rose flowers in the yard."),
        ("d.md", "# Engine repair\n\nFix a car engine yourself with this repair guide."),
        ("e.md", "# Garden tools\n\nA price list of cheap yard tools."),
        ("f.md", "# Corner shop\n\nThe shop sells cheap car flowers for the garden and does repair work. Opening hours: from nine."),
        ("g.md", "# Notes\n\nMiscellaneous remarks without any topic."),
    ];

    /// <summary>Query → relevant files. BM25 misses synonyms ("vehicle", "motor"); vectors miss exact rare words
    /// ("shop", "hours"); fusion gets both kinds right.</summary>
    private static readonly (string Query, string[] Relevant)[] Labels =
    [
        ("vehicle repair guide", ["d.md", "a.md"]),
        ("opening hours nine", ["f.md"]),
        ("flower yard", ["c.md"]),
        ("cheap automobile", ["b.md"]),
    ];

    [Fact]
    public async Task Hybrid_order_is_the_rrf_of_the_two_rankings_and_beats_each_alone_on_a_labelled_set()
    {
        using var harness = new KnowledgeHarness(new ConceptEmbeddingGenerator());
        foreach (var (file, text) in Corpus) harness.Folder.File(file, text);
        await harness.IngestAsync(harness.Folder.Path);

        var reciprocal = new Dictionary<SearchMode, double>();
        foreach (var mode in new[] { SearchMode.Keyword, SearchMode.Vector, SearchMode.Hybrid }) reciprocal[mode] = 0;
        foreach (var (query, relevant) in Labels)
        {
            var vector = ConceptEmbeddingGenerator.Embed(query);
            async Task<List<string>> Ranked(SearchMode mode, int top) =>
                (await harness.Store.SearchAsync(new SearchRequest(query, top) { Vector = vector, Mode = mode, Candidates = 10 }, CancellationToken.None))
                .Select(h => Path.GetFileName(h.Chunk.Source)).ToList();

            var keyword = await Ranked(SearchMode.Keyword, 10);
            var byVector = await Ranked(SearchMode.Vector, 10);
            var hybrid = await Ranked(SearchMode.Hybrid, 10);
            Assert.Equal(RrfFusion.Fuse<string>([keyword, byVector]).Select(f => f.Id), hybrid);

            foreach (var (mode, list) in new[] { (SearchMode.Keyword, keyword), (SearchMode.Vector, byVector), (SearchMode.Hybrid, hybrid) })
            {
                var first = list.FindIndex(relevant.Contains);
                reciprocal[mode] += first < 0 ? 0 : 1.0 / (first + 1);
            }
            Assert.Contains(hybrid[0], relevant);
        }
        Assert.True(reciprocal[SearchMode.Hybrid] > reciprocal[SearchMode.Keyword], $"hybrid {reciprocal[SearchMode.Hybrid]} vs BM25 {reciprocal[SearchMode.Keyword]}");
        Assert.True(reciprocal[SearchMode.Hybrid] > reciprocal[SearchMode.Vector], $"hybrid {reciprocal[SearchMode.Hybrid]} vs vector {reciprocal[SearchMode.Vector]}");
        Assert.Equal(Labels.Length, reciprocal[SearchMode.Hybrid]);
    }
}
