using Moltworker.Knowledge.Questions;
using Moltworker.Knowledge.Search;

namespace Moltworker.Knowledge.Answers;

/// <summary>The answer without a model: one key point per retrieved passage (its title and section, then its text),
/// and for "what is X" a summary taken from the passage that defines X, which the search ranks first.</summary>
public static class PassageAnswer
{
    public static AnswerPackage From(KnowledgeResults results)
    {
        var points = results.Hits.Select(h => new KeyPoint($"{CitationFormatter.Place(h)}: {Shorten(h.Chunk.Text.Trim(), 500)}", [h.Rank])).ToList();
        var summary = results.Hits.Count == 0
            ? "Nothing in the knowledge base matches that question."
            : QueryAnalyzer.Analyze(results.Query).Kind == QuestionKind.Definition
                ? FirstSentences(results.Hits[0].Chunk.Text) + $" [{results.Hits[0].Rank}]"
                : $"The best matching passages, from {string.Join(", ", results.Hits.Select(h => h.Chunk.Title).Distinct())}.";
        return new AnswerPackage(results.Query, summary, points, [], results.Hits);
    }

    /// <summary>Up to two sentences of the passage's first paragraph that is prose (not a heading, table or code).</summary>
    private static string FirstSentences(string text)
    {
        var paragraph = text.Split("\n\n").Select(p => p.Trim())
            .FirstOrDefault(p => p.Length > 0 && !p.StartsWith('#') && !p.StartsWith('|') && !p.StartsWith("```", StringComparison.Ordinal)) ?? text.Trim();
        paragraph = string.Join(' ', paragraph.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var first = paragraph.IndexOf(". ", StringComparison.Ordinal);
        var second = first < 0 ? -1 : paragraph.IndexOf(". ", first + 2, StringComparison.Ordinal);
        return second < 0 ? Shorten(paragraph, 400) : paragraph[..(second + 1)];
    }

    private static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max);
        return text[..(cut > max / 2 ? cut : max)] + " …";
    }
}
