using System.Text;
using Moltworker.Knowledge.Text;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>Turns free text into safe FTS5 MATCH expressions: every term a quoted phrase (no operator injection),
/// phrases joined with OR so any term can match and bm25() ranks by how well. Stop words are dropped unless
/// nothing else is left.</summary>
internal static class Fts5Query
{
    /// <summary>The distinct terms of <paramref name="text"/>, each quoted as an FTS5 phrase.</summary>
    public static List<string> Phrases(string text)
    {
        var terms = TermTokenizer.Tokenize(text);
        if (terms.Count == 0) terms = RawTerms(text);
        return terms.Distinct(StringComparer.Ordinal).Select(term => "\"" + term.Replace("\"", "\"\"") + "\"").ToList();
    }

    public static string Any(IEnumerable<string> phrases) => string.Join(" OR ", phrases);

    /// <summary>Rows with at least one phrase of each group; bm25() still sees every phrase once.</summary>
    public static string Both(IEnumerable<string> first, IEnumerable<string> second) => $"({Any(first)}) AND ({Any(second)})";

    /// <summary>One term or several words as a quoted FTS5 phrase (FTS5 tokenizes and stems inside the quotes).</summary>
    public static string Quote(string words) => "\"" + words.Replace("\"", "\"\"") + "\"";

    private static List<string> RawTerms(string text)
    {
        var terms = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text + " ")
        {
            if (char.IsLetterOrDigit(c)) current.Append(char.ToLowerInvariant(c));
            else if (current.Length > 0)
            {
                terms.Add(current.ToString());
                current.Clear();
            }
        }
        return terms;
    }
}
