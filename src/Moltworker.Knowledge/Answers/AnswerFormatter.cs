using System.Text;
using Moltworker.Knowledge.Search;

namespace Moltworker.Knowledge.Answers;

/// <summary>Renders an <see cref="AnswerPackage"/> as Markdown: summary, key points, action items, then the sources.</summary>
public static class AnswerFormatter
{
    public static string ToMarkdown(AnswerPackage package)
    {
        var builder = new StringBuilder(package.Summary).Append('\n');
        if (package.KeyPoints.Count > 0)
        {
            builder.Append("\n**Key points**\n");
            foreach (var point in package.KeyPoints)
            {
                builder.Append("- ").Append(point.Text);
                var missing = point.Citations.Where(c => !point.Text.Contains($"[{c}]", StringComparison.Ordinal)).ToList();
                if (missing.Count > 0) builder.Append(" [").Append(string.Join(", ", missing)).Append(']');
                builder.Append('\n');
            }
        }
        if (package.ActionItems.Count > 0)
        {
            builder.Append("\n**What to do**\n");
            for (var i = 0; i < package.ActionItems.Count; i++) builder.Append(i + 1).Append(". ").Append(package.ActionItems[i]).Append('\n');
        }
        if (package.Passages.Count > 0)
        {
            builder.Append("\nSources:\n");
            foreach (var hit in package.Passages) builder.Append(CitationFormatter.Cite(hit)).Append('\n');
        }
        return builder.ToString().TrimEnd();
    }
}
