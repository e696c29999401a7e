using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Moltworker.Knowledge.Ingest;

/// <summary>HTML to the Markdown the chunker understands: headings become '#' lines, block elements become
/// paragraphs, preformatted text becomes a fenced block; scripts, styles and navigation are dropped.</summary>
internal static class HtmlToMarkdown
{
    private static readonly HashSet<string> Skip = ["SCRIPT", "STYLE", "NOSCRIPT", "NAV", "HEADER", "FOOTER", "TEMPLATE", "SVG", "IFRAME"];
    private static readonly HashSet<string> Blocks = ["P", "DIV", "SECTION", "ARTICLE", "MAIN", "LI", "TR", "BLOCKQUOTE", "DD", "DT", "TABLE", "UL", "OL", "DL", "FIGURE", "FIGCAPTION", "ASIDE", "BODY"];

    public static (string? Title, string Markdown) Convert(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var builder = new StringBuilder();
        var root = (INode?)document.Body ?? document.DocumentElement;
        Walk(root, builder);
        var title = document.Title?.Trim();
        var markdown = Collapse(builder.ToString());
        return (string.IsNullOrWhiteSpace(title) ? null : title, markdown);
    }

    private static void Walk(INode node, StringBuilder output)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText text)
            {
                output.Append(Whitespace(text.Data));
                continue;
            }
            if (child is not IElement element || Skip.Contains(element.TagName)) continue;
            var tag = element.TagName;
            if (tag.Length == 2 && tag[0] == 'H' && tag[1] is >= '1' and <= '6')
            {
                output.Append("\n\n").Append('#', tag[1] - '0').Append(' ').Append(Whitespace(element.TextContent).Trim()).Append("\n\n");
            }
            else if (tag == "PRE")
            {
                output.Append("\n\n```\n").Append(element.TextContent.TrimEnd()).Append("\n```\n\n");
            }
            else if (tag == "BR")
            {
                output.Append('\n');
            }
            else if (Blocks.Contains(tag))
            {
                output.Append("\n\n");
                if (tag == "LI") output.Append("- ");
                Walk(element, output);
                output.Append("\n\n");
            }
            else Walk(element, output);
        }
    }

    private static string Whitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!space) builder.Append(' ');
                space = true;
            }
            else
            {
                builder.Append(c);
                space = false;
            }
        }
        return builder.ToString();
    }

    /// <summary>Trims each line and keeps at most one blank line between blocks.</summary>
    private static string Collapse(string text)
    {
        var lines = text.Split('\n');
        var builder = new StringBuilder();
        var blank = true;
        var fence = false;
        foreach (var raw in lines)
        {
            var line = fence ? raw.TrimEnd() : raw.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal)) fence = !fence;
            if (line.Length == 0 && !fence)
            {
                if (!blank) builder.Append('\n');
                blank = true;
                continue;
            }
            builder.Append(line).Append('\n');
            blank = false;
        }
        return builder.ToString().Trim();
    }
}
