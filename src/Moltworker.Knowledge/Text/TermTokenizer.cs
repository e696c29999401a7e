using System.Text;

namespace Moltworker.Knowledge.Text;

/// <summary>Splits text into lower-case search terms (letters and digits, length ≥ 2, common English stop words
/// dropped). Used by the client-side BM25 sparse vectors (Qdrant) and the test embedder; SQLite uses FTS5's own
/// <c>porter unicode61</c> tokenizer.</summary>
public static class TermTokenizer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its",
        "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with", "which", "can", "do", "does",
        "how", "what", "when", "where", "who", "why", "you", "your", "i", "we", "our", "not", "no", "if", "then",
        "me", "my", "should", "would", "could", "did", "been", "am", "there", "about", "they", "them", "their", "these",
        "those", "he", "she", "his", "her", "us", "so", "but",
    };

    public static List<string> Tokenize(string text)
    {
        var terms = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) current.Append(char.ToLowerInvariant(c));
            else Flush();
        }
        Flush();
        return terms;

        void Flush()
        {
            if (current.Length >= 2)
            {
                var term = current.ToString();
                if (!StopWords.Contains(term)) terms.Add(term);
            }
            current.Clear();
        }
    }
}
