using System.Text;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Search;

/// <summary>Renders ranked passages with citation numbers [1], [2]… and their sources.</summary>
public static class CitationFormatter
{
    public static string Cite(SearchHit hit) => $"[{hit.Rank}] {Place(hit)} — {SourceDisplay.Short(hit.Chunk.Source)}";

    /// <summary>The passage's document title and section path: "Title › Section › Subsection".</summary>
    public static string Place(SearchHit hit)
    {
        var headings = hit.Chunk.HeadingPath.SkipWhile((h, i) => i == 0 && h == hit.Chunk.Title).ToList();
        return hit.Chunk.Title + (headings.Count > 0 ? " › " + string.Join(" › ", headings) : "");
    }

    /// <summary>What the <c>knowledge_search</c> tool returns to the model.</summary>
    public static string ForModel(KnowledgeResults results)
    {
        var builder = new StringBuilder();
        builder.Append("Retrieval: ").Append(results.Mode).Append('.');
        if (results.Note is not null) builder.Append(' ').Append(results.Note);
        builder.Append('\n');
        if (results.Hits.Count == 0)
        {
            builder.Append("No passages matched \"").Append(results.Query).Append("\".");
            return builder.ToString();
        }
        foreach (var hit in results.Hits)
        {
            builder.Append('\n').Append(Cite(hit)).Append('\n').Append(hit.Chunk.Text.Trim()).Append('\n');
        }
        builder.Append("\nAnswer from these passages only where they apply; cite them inline as [n] and end with a \"Sources\" list of the [n] you used.");
        return builder.ToString();
    }

    /// <summary>A reply without a model: each passage under its document title and section, quoted with its citation,
    /// under a line saying why. For "what is X" the search puts the passage defining X first.</summary>
    public static string ForPerson(KnowledgeResults results, int maxCharsPerPassage = 700)
    {
        var builder = new StringBuilder("_No model is configured, so here are the best matching passages from the knowledge base._\n");
        if (results.Hits.Count == 0)
        {
            builder.Append("\nNothing in the knowledge base matches that question.");
            return builder.ToString();
        }
        foreach (var hit in results.Hits)
        {
            builder.Append("\n**").Append(Place(hit)).Append("**\n");
            foreach (var line in Shorten(hit.Chunk.Text.Trim(), maxCharsPerPassage).Split('\n'))
                builder.Append("> ").Append(line).Append('\n');
            builder.Append($"[{hit.Rank}]\n");
        }
        builder.Append("\nSources:\n");
        foreach (var hit in results.Hits) builder.Append(Cite(hit)).Append('\n');
        return builder.ToString().TrimEnd();
    }

    private static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max);
        return text[..(cut > max / 2 ? cut : max)] + " …";
    }
}
