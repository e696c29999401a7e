using System.Text;
using Moltworker.Knowledge.Text;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>Turns free text into a safe FTS5 MATCH expression: every term quoted (no operator injection),
/// joined with OR so any term can match and bm25() ranks by how well. Stop words are dropped unless
/// nothing else is left.</summary>
internal static class Fts5Query
{
    public static string? Build(string text)
    {
        var terms = TermTokenizer.Tokenize(text);
        if (terms.Count == 0) terms = RawTerms(text);
        if (terms.Count == 0) return null;
        var builder = new StringBuilder();
        foreach (var term in terms.Distinct(StringComparer.Ordinal))
        {
            if (builder.Length > 0) builder.Append(" OR ");
            builder.Append('"').Append(term.Replace("\"", "\"\"")).Append('"');
        }
        return builder.ToString();
    }

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
