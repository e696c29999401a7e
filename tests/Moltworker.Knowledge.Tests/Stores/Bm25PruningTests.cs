using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Stores.Sqlite;
using Moltworker.Knowledge.Tests.Support;

namespace Moltworker.Knowledge.Tests.Stores;

/// <summary>The pruned BM25 top-k must give exactly the ranking of FTS5's plain OR query.</summary>
public class Bm25PruningTests
{
    private static readonly string[] Common = ["alpha", "bravo", "charlie", "delta"];
    private static readonly string[] Middle = Enumerable.Range(0, 12).Select(i => "middle" + (char)('a' + i)).ToArray();
    private static readonly string[] Rare = Enumerable.Range(0, 150).Select(i => "rare" + Letters(i)).ToArray();

    private static string Letters(int i) => $"{(char)('a' + i / 26)}{(char)('a' + i % 26)}";

    [Fact]
    public async Task Pruned_rankings_equal_the_plain_query_with_and_without_filters()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("kb.db");
        var plain = new SqliteKnowledgeStore(new FileConnectionFactory(path));   // 600 rows: below the default threshold
        var pruning = new Bm25TopK(commonRows: 40);
        var pruned = new SqliteKnowledgeStore(new FileConnectionFactory(path)) { Keyword = pruning };
        var random = new Random(5);
        for (var d = 0; d < 60; d++)
        {
            var id = $"doc{d}";
            var tags = d % 2 == 0 ? new[] { "even" } : [];
            var chunks = Enumerable.Range(0, 10).Select(i =>
            {
                var text = string.Join(' ', Enumerable.Range(0, random.Next(8, 60)).Select(_ => Word(random)));
                return new KnowledgeChunk
                {
                    DocumentId = id, Source = $"/kb/{id}.md", Title = id, Position = i, Text = text, Tags = tags,
                    UpdatedAt = DateTimeOffset.UnixEpoch, End = text.Length,
                };
            }).ToList();
            await plain.ReplaceDocumentAsync(new DocumentInfo(id, $"/kb/{id}.md", id, "h", chunks.Count, DateTimeOffset.UnixEpoch) { Tags = tags }, chunks, CancellationToken.None);
        }

        var queries = 0;
        for (var q = 0; q < 150; q++)
        {
            var words = Enumerable.Range(0, random.Next(2, 5)).Select(_ => Word(random)).ToList();
            foreach (var filter in new[] { new SearchFilter(), new SearchFilter { Tags = ["even"] } })
            {
                var request = new SearchRequest(string.Join(' ', words), 10) { Mode = SearchMode.Keyword, Filter = filter };
                var expected = await plain.SearchAsync(request, CancellationToken.None);
                var actual = await pruned.SearchAsync(request, CancellationToken.None);
                AssertSameRanking(expected, actual, request.Text);
                queries++;
            }
        }
        // Both paths ran: most queries hold a common word and a rarer one; some hold only common words.
        Assert.InRange(pruning.PrunedAnswers, queries / 4, queries - 1);
    }

    [Fact]
    public async Task Without_exactness_rows_with_a_rare_term_keep_their_exact_scores_and_order_and_the_plain_query_is_skipped()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("kb.db");
        var factory = new FileConnectionFactory(path);
        var store = new SqliteKnowledgeStore(factory);
        var random = new Random(9);
        for (var d = 0; d < 60; d++)
        {
            var id = $"doc{d}";
            var chunks = Enumerable.Range(0, 10).Select(i =>
            {
                var text = string.Join(' ', Enumerable.Range(0, random.Next(8, 60)).Select(_ => Word(random)));
                return new KnowledgeChunk
                {
                    DocumentId = id, Source = $"/kb/{id}.md", Title = id, Position = i, Text = text, UpdatedAt = DateTimeOffset.UnixEpoch, End = text.Length,
                };
            }).ToList();
            await store.ReplaceDocumentAsync(new DocumentInfo(id, $"/kb/{id}.md", id, "h", chunks.Count, DateTimeOffset.UnixEpoch), chunks, CancellationToken.None);
        }
        await using var connection = await factory.OpenAsync(CancellationToken.None);
        var exact = new Bm25TopK(commonRows: 40);
        var loose = new Bm25TopK(commonRows: 40);
        var all = new Bm25TopK(commonRows: long.MaxValue);

        for (var q = 0; q < 150; q++)
        {
            var text = string.Join(' ', Enumerable.Range(0, random.Next(2, 5)).Select(_ => Word(random)));
            var expected = await exact.SearchAsync(connection, text, new SearchFilter(), 20, CancellationToken.None);
            var before = loose.UnprovedAnswers;
            var actual = await loose.SearchAsync(connection, text, new SearchFilter(), 20, CancellationToken.None, exact: false);
            // Scores agree to 1e-5: without exactness, terms in half the rows or more (FTS5's idf floor of 1e-6) are left
            // out of the query that scores rows holding common terms too, so rows whose scores differ by less may swap.
            var scores = (await all.SearchAsync(connection, text, new SearchFilter(), 1000, CancellationToken.None)).ToDictionary(r => r.Id, r => r.Score);
            if (loose.UnprovedAnswers == before)
            {
                Assert.Equal(expected.Count, actual.Count);
                Assert.All(expected.Zip(actual), p => Assert.InRange(p.First.Score - p.Second.Score, -1e-5, 1e-5));
                Assert.All(actual, r => Assert.InRange(scores[r.Id] - r.Score, -1e-5, 1e-5));
                continue;
            }
            // Every row returned has its bm25() and the rows come best first; they are the exact top wherever
            // the exact top has a row with a rare term.
            Assert.NotEmpty(actual);
            Assert.All(actual, r => Assert.InRange(scores[r.Id] - r.Score, -1e-5, 1e-5));
            Assert.Equal(actual.OrderByDescending(r => r.Score).Select(r => r.Score), actual.Select(r => r.Score));
            Assert.True(actual.Count <= 20);
        }
        Assert.InRange(loose.UnprovedAnswers, 10, 149);
    }

    private static string Word(Random random) => random.NextDouble() switch
    {
        < 0.45 => Common[random.Next(Common.Length)],
        < 0.65 => Middle[random.Next(Middle.Length)],
        _ => Rare[random.Next(Rare.Length)],
    };

    /// <summary>Same scores in the same order; the same passages wherever the score is not tied with the last one
    /// (which of several equal rows fills the last places is arbitrary).</summary>
    private static void AssertSameRanking(IReadOnlyList<SearchHit> expected, IReadOnlyList<SearchHit> actual, string query)
    {
        Assert.True(expected.Count == actual.Count, $"'{query}': {expected.Count} hits expected, {actual.Count} found");
        if (expected.Count == 0) return;
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i].Score - actual[i].Score) < 1e-9, $"'{query}' rank {i + 1}: score {expected[i].Score} expected, {actual[i].Score} found");
        var last = expected[^1].Score;
        var untied = (IReadOnlyList<SearchHit> hits) => hits.Where(h => h.Score > last + 1e-9).Select(h => h.Chunk.Id).ToHashSet();
        Assert.Equal(untied(expected), untied(actual));
    }
}
