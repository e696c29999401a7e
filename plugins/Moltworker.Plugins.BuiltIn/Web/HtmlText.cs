using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Moltworker.Plugins.BuiltIn.Web;

/// <summary>Turns an HTML page into readable text: title, headings, paragraphs and list items on their own lines,
/// links as "text (url)", scripts, styles and navigation chrome dropped.</summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    { "script", "style", "noscript", "template", "svg", "canvas", "iframe", "head", "nav", "footer", "form", "button", "select" };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "header", "aside", "br", "hr", "li", "ul", "ol", "table", "tr",
        "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "dl", "dt", "dd", "figure", "figcaption",
    };

    public static string Convert(string html, Uri baseUri)
    {
        var document = new HtmlParser().ParseDocument(html);
        var text = new StringBuilder();
        var title = document.Title?.Trim();
        if (!string.IsNullOrEmpty(title)) text.Append("# ").Append(title).Append('\n');
        if (document.Body is { } body) Walk(body, text, baseUri, pre: false);
        return Normalize(text.ToString());
    }

    private static void Walk(INode node, StringBuilder text, Uri baseUri, bool pre)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(pre ? t.Data : t.Data.Replace('\n', ' ').Replace('\r', ' '));
                    break;
                case IElement e when Skipped.Contains(e.LocalName):
                    break;
                case IElement e:
                    var block = Blocks.Contains(e.LocalName);
                    if (block) text.Append('\n');
                    if (e.LocalName is "h1" or "h2" or "h3") text.Append("## ");
                    if (e.LocalName == "li") text.Append("- ");
                    Walk(e, text, baseUri, pre || e.LocalName == "pre");
                    if (e.LocalName == "a" && e.GetAttribute("href") is { } href && Link(href, baseUri) is { } url && e.TextContent.Trim() != url)
                        text.Append(" (").Append(url).Append(')');
                    if (e.LocalName is "td" or "th") text.Append(" | ");
                    if (block) text.Append('\n');
                    break;
            }
        }
    }

    private static string? Link(string href, Uri baseUri)
    {
        if (href.StartsWith('#') || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)) return null;
        return Uri.TryCreate(baseUri, href, out var absolute) && absolute.Scheme is "http" or "https" ? absolute.ToString() : null;
    }

    private static string Normalize(string raw)
    {
        var lines = raw.Split('\n')
            .Select(l => string.Join(' ', l.Split((char[])[' ', '\t', '\r', '\u00a0'], StringSplitOptions.RemoveEmptyEntries)));
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0 || line == "-") { blank++; continue; }
            if (result.Length > 0) result.Append(blank > 1 ? "\n\n" : "\n");
            result.Append(line);
            blank = 0;
        }
        return result.ToString();
    }
}
