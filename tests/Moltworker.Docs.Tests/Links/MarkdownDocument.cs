using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Moltworker.Docs.Tests.Links;

/// <summary>A Markdown file's link targets (outside code) and the anchors its headings get on GitHub.</summary>
public sealed class MarkdownDocument
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    public required IReadOnlyList<(string Url, int Line)> Links { get; init; }
    public required IReadOnlySet<string> Anchors { get; init; }

    public static MarkdownDocument Parse(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var slugs = new GitHubSlug();
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var heading in document.Descendants<HeadingBlock>())
            anchors.Add(slugs.Next(TextOf(heading.Inline)));
        var links = document.Descendants<LinkInline>()
            .Where(l => !string.IsNullOrEmpty(l.Url))
            .Select(l => (l.Url!, l.Line + 1))
            .ToList();
        return new MarkdownDocument { Links = links, Anchors = anchors };
    }

    private static string TextOf(ContainerInline? container)
    {
        var text = new StringBuilder();
        Append(text, container);
        return text.ToString();
    }

    private static void Append(StringBuilder text, Inline? inline)
    {
        switch (inline)
        {
            case null: return;
            case LiteralInline literal: text.Append(literal.Content.ToString()); break;
            case CodeInline code: text.Append(code.Content); break;
            case HtmlInline: break;
            case LineBreakInline: text.Append(' '); break;
            case ContainerInline container:
                foreach (var child in container) Append(text, child);
                break;
        }
    }
}
