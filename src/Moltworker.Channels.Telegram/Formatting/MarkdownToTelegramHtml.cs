using System.Text;
using Markdig;
using Markdig.Extensions.EmphasisExtras;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Moltworker.Channels.Telegram.Formatting;

/// <summary>
/// Turns the model's Markdown into the HTML subset Telegram accepts (b, i, s, code, pre, a, blockquote).
/// Everything else becomes text: headings bold, lists with bullets, tables as " | " rows, raw HTML escaped.
/// The output is always well formed, so only Telegram itself can still refuse it.
/// </summary>
public static class MarkdownToTelegramHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough)
        .UsePipeTables()
        .Build();

    public const int MaxUrlLength = 2048;

    public static string Convert(string? markdown)
    {
        var source = TelegramHtml.RepairSurrogates(markdown ?? "");
        var document = Markdown.Parse(source, Pipeline);
        var sb = new StringBuilder(source.Length + source.Length / 4);
        RenderBlocks(document, sb, "", tight: false);
        return sb.ToString().TrimEnd('\n', ' ');
    }

    private static void RenderBlocks(ContainerBlock container, StringBuilder sb, string indent, bool tight)
    {
        var first = true;
        foreach (var block in container)
        {
            if (block is LinkReferenceDefinitionGroup or BlankLineBlock) continue;
            if (!first) sb.Append(tight ? "\n" : "\n\n");
            first = false;
            RenderBlock(block, sb, indent);
        }
    }

    private static void RenderBlock(Block block, StringBuilder sb, string indent)
    {
        switch (block)
        {
            case HeadingBlock heading:
                sb.Append("<b>");
                RenderInlines(heading.Inline, sb);
                sb.Append("</b>");
                break;
            case ParagraphBlock paragraph:
                RenderInlines(paragraph.Inline, sb);
                break;
            case QuoteBlock quote:
                sb.Append("<blockquote>");
                RenderBlocks(quote, sb, indent, tight: false);
                sb.Append("</blockquote>");
                break;
            case ListBlock list:
                RenderList(list, sb, indent);
                break;
            case FencedCodeBlock fenced:
                var language = SafeLanguage(fenced.Info);
                sb.Append(language.Length > 0 ? $"<pre><code class=\"language-{language}\">" : "<pre>");
                sb.Append(TelegramHtml.Escape(fenced.Lines.ToString()));
                sb.Append(language.Length > 0 ? "</code></pre>" : "</pre>");
                break;
            case CodeBlock code:
                sb.Append("<pre>").Append(TelegramHtml.Escape(code.Lines.ToString())).Append("</pre>");
                break;
            case ThematicBreakBlock:
                sb.Append("──────────");
                break;
            case Table table:
                RenderTable(table, sb);
                break;
            case HtmlBlock html:
                sb.Append(TelegramHtml.Escape(html.Lines.ToString()));
                break;
            case LeafBlock leaf when leaf.Inline is not null:
                RenderInlines(leaf.Inline, sb);
                break;
            case LeafBlock leaf:
                sb.Append(TelegramHtml.Escape(leaf.Lines.ToString()));
                break;
            case ContainerBlock container:
                RenderBlocks(container, sb, indent, tight: false);
                break;
        }
    }

    private static void RenderList(ListBlock list, StringBuilder sb, string indent)
    {
        var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
        var first = true;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            if (!first) sb.Append(list.IsLoose ? "\n\n" : "\n");
            first = false;
            sb.Append(indent).Append(list.IsOrdered ? $"{number++}. " : "• ");
            RenderBlocks(item, sb, indent + "    ", tight: !list.IsLoose);
        }
    }

    private static void RenderTable(Table table, StringBuilder sb)
    {
        var firstRow = true;
        foreach (var row in table.OfType<TableRow>())
        {
            if (!firstRow) sb.Append('\n');
            firstRow = false;
            if (row.IsHeader) sb.Append("<b>");
            var firstCell = true;
            foreach (var cell in row.OfType<TableCell>())
            {
                if (!firstCell) sb.Append(" | ");
                firstCell = false;
                foreach (var inner in cell) RenderBlock(inner, sb, "");
            }
            if (row.IsHeader) sb.Append("</b>");
        }
    }

    private static void RenderInlines(ContainerInline? container, StringBuilder sb)
    {
        if (container is null) return;
        foreach (var inline in container) RenderInline(inline, sb);
    }

    private static void RenderInline(Inline inline, StringBuilder sb)
    {
        switch (inline)
        {
            case LiteralInline literal:
                sb.Append(TelegramHtml.Escape(literal.Content.ToString()));
                break;
            case CodeInline code:
                sb.Append("<code>").Append(TelegramHtml.Escape(code.Content)).Append("</code>");
                break;
            case EmphasisInline emphasis:
                var tag = emphasis.DelimiterChar == '~' ? "s" : emphasis.DelimiterCount >= 2 ? "b" : "i";
                sb.Append('<').Append(tag).Append('>');
                RenderInlines(emphasis, sb);
                sb.Append("</").Append(tag).Append('>');
                break;
            case LinkInline link:
                RenderLink(link, sb);
                break;
            case AutolinkInline auto:
                var href = auto.IsEmail ? "mailto:" + auto.Url : auto.Url;
                if (IsSafeUrl(href)) sb.Append($"<a href=\"{TelegramHtml.EscapeAttribute(href)}\">{TelegramHtml.Escape(auto.Url)}</a>");
                else sb.Append(TelegramHtml.Escape(auto.Url));
                break;
            case LineBreakInline:
                sb.Append('\n');
                break;
            case HtmlEntityInline entity:
                sb.Append(TelegramHtml.Escape(entity.Transcoded.ToString()));
                break;
            case HtmlInline html:
                sb.Append(TelegramHtml.Escape(html.Tag));
                break;
            case DelimiterInline delimiter:
                sb.Append(TelegramHtml.Escape(delimiter.ToLiteral()));
                RenderInlines(delimiter, sb);
                break;
            case ContainerInline container:
                RenderInlines(container, sb);
                break;
        }
    }

    private static void RenderLink(LinkInline link, StringBuilder sb)
    {
        var url = link.GetDynamicUrl?.Invoke() ?? link.Url ?? "";
        var hasText = link.FirstChild is not null;
        if (!IsSafeUrl(url))
        {
            RenderInlines(link, sb);
            return;
        }
        sb.Append($"<a href=\"{TelegramHtml.EscapeAttribute(url)}\">");
        if (link.IsImage) sb.Append("🖼 ");
        if (hasText) RenderInlines(link, sb);
        else sb.Append(TelegramHtml.Escape(url));
        sb.Append("</a>");
    }

    /// <summary>Links Telegram opens safely; very long URLs stay text so one tag can never outgrow a message part.</summary>
    private static bool IsSafeUrl(string url) =>
        url.Length <= MaxUrlLength
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https" or "tg" or "mailto"
        && url.AsSpan().IndexOfAny("\n\r") < 0;

    private static string SafeLanguage(string? info)
    {
        if (string.IsNullOrWhiteSpace(info)) return "";
        var sb = new StringBuilder();
        foreach (var c in info.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '#' or '_' or '-' or '.') sb.Append(c);
            else break;
        }
        return sb.Length > 32 ? sb.ToString(0, 32) : sb.ToString();
    }
}
