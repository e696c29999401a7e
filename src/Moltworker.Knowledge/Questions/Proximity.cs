namespace Moltworker.Knowledge.Questions;

/// <summary>
/// Proximity evidence computed on passages already in hand: the share of the query's neighbouring term pairs that
/// stand within a few words of each other in the passage. Words are compared by their first four letters (whole
/// word when shorter), a rough stem that lets "retries" meet "retry". Cheaper and steadier than FTS5 NEAR queries,
/// whose cost grows with every row a common term occurs in.
/// </summary>
public static class Proximity
{
    public static double Score(string text, IReadOnlyList<(string First, string Second)> pairs, int distance)
    {
        if (pairs.Count == 0) return 0;
        var keys = pairs.SelectMany(p => new[] { Stem(p.First), Stem(p.Second) }).ToHashSet(StringComparer.Ordinal);
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        var satisfied = new bool[pairs.Count];
        var position = 0;
        foreach (var word in Words(text))
        {
            var key = Stem(word);
            if (keys.Contains(key))
            {
                last[key] = position;
                for (var i = 0; i < pairs.Count; i++)
                {
                    if (satisfied[i]) continue;
                    var (a, b) = (Stem(pairs[i].First), Stem(pairs[i].Second));
                    var other = key == a ? b : key == b ? a : null;
                    if (other is not null && last.TryGetValue(other, out var at) && position - at <= distance) satisfied[i] = true;
                }
            }
            position++;
        }
        return (double)satisfied.Count(s => s) / pairs.Count;
    }

    /// <summary>The rough stem words are compared by: the first four letters, or the whole word when shorter.</summary>
    public static string Stem(string word) => word.Length <= 4 ? word : word[..4];

    private static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var letter = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (letter && start < 0) start = i;
            else if (!letter && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }
}
