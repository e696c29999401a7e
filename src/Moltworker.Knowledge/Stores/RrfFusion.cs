namespace Moltworker.Knowledge.Stores;

/// <summary>Reciprocal rank fusion: an item's score is Σ 1/(k + rank) over the rankings it appears in
/// (rank 1-based). Ties keep the order of first appearance, so fusion is deterministic.</summary>
public static class RrfFusion
{
    public static List<(T Id, double Score)> Fuse<T>(IReadOnlyList<IReadOnlyList<T>> rankings, int k = 60) where T : notnull
    {
        var scores = new Dictionary<T, (double Score, int First)>();
        var order = 0;
        foreach (var ranking in rankings)
        {
            for (var i = 0; i < ranking.Count; i++)
            {
                var add = 1.0 / (k + i + 1);
                scores[ranking[i]] = scores.TryGetValue(ranking[i], out var s) ? (s.Score + add, s.First) : (add, order++);
            }
        }
        return scores
            .OrderByDescending(p => p.Value.Score)
            .ThenBy(p => p.Value.First)
            .Select(p => (p.Key, p.Value.Score))
            .ToList();
    }
}
