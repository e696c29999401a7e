using System.Text;

namespace Moltworker.Channels.Telegram.Formatting;

/// <summary>
/// Splits Telegram HTML into parts no longer than a limit (counted on the HTML, so the text Telegram
/// counts is never longer). A part ends at the last paragraph break that fits, else a line break, else
/// a space, else anywhere between two characters; never inside a tag, an entity or a surrogate pair.
/// Tags open at a cut (a code block, bold text, a link) are closed and reopened in the next part; when the tags to
/// reopen leave no room for even one character (only possible far below Telegram's limit), that character goes out
/// without its formatting.
/// </summary>
public static class MessageSplitter
{
    public const int TelegramLimit = 4096;

    public static IReadOnlyList<string> Split(string html, int limit = TelegramLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 64);
        if (html.Length <= limit) return string.IsNullOrWhiteSpace(TelegramHtml.ToPlainText(html)) ? [] : [html];

        var units = HtmlUnit.Tokenize(html);
        var parts = new List<string>();
        var open = new List<(string Name, string Raw)>();
        var i = 0;
        while (i < units.Count)
        {
            if (!open.Any(t => t.Name is "pre" or "code"))
                while (i < units.Count && IsText(html, units[i], '\n', ' ')) i++;
            if (i >= units.Count) break;

            var end = FindEnd(html, units, i, open, limit);
            if (end < 0)
            {
                // Not even one unit fits between the tags to reopen and their closers (deep nesting under a small
                // limit): the unit goes out alone, without the formatting, so no part is ever over the limit.
                var lone = units[i];
                var bare = html.Substring(lone.Start, lone.Length);
                if (lone.Kind == HtmlUnitKind.Text && !string.IsNullOrWhiteSpace(TelegramHtml.ToPlainText(bare))) parts.Add(bare);
                Apply(open, html, lone);
                i++;
                continue;
            }
            var contentEnd = end;
            if (end < units.Count && !open.Any(t => t.Name is "pre"))
                while (contentEnd > i + 1 && IsText(html, units[contentEnd - 1], '\n', ' ')) contentEnd--;

            var sb = new StringBuilder(limit);
            foreach (var tag in open) sb.Append(tag.Raw);
            for (var k = i; k < contentEnd; k++)
            {
                var u = units[k];
                sb.Append(html, u.Start, u.Length);
                Apply(open, html, u);
            }
            for (var k = contentEnd; k < end; k++) Apply(open, html, units[k]);
            for (var t = open.Count - 1; t >= 0; t--) sb.Append("</").Append(open[t].Name).Append('>');

            var part = sb.ToString();
            if (!string.IsNullOrWhiteSpace(TelegramHtml.ToPlainText(part))) parts.Add(part);
            i = end;
        }
        return parts;
    }

    /// <summary>The exclusive unit index where the part starting at <paramref name="start"/> ends; -1 when not even the
    /// first unit fits with the open tags.</summary>
    private static int FindEnd(string html, IReadOnlyList<HtmlUnit> units, int start, List<(string Name, string Raw)> open, int limit)
    {
        var stack = new List<(string Name, string Raw)>(open);
        var length = open.Sum(t => t.Raw.Length);
        var closers = open.Sum(t => t.Name.Length + 3);
        int paragraph = -1, line = -1, word = -1, hard = -1;
        int paragraphLen = 0, lineLen = 0, wordLen = 0;
        for (var j = start; j < units.Count; j++)
        {
            var u = units[j];
            length += u.Length;
            if (u.Kind == HtmlUnitKind.Open) closers += u.TagName!.Length + 3;
            else if (u.Kind == HtmlUnitKind.Close && stack.Count > 0) closers -= stack[^1].Name.Length + 3;
            Apply(stack, html, u);
            if (length + closers > limit) break;
            hard = j + 1;
            if (j + 1 == units.Count) return units.Count;
            if (u.Kind != HtmlUnitKind.Text) continue;
            if (IsText(html, u, '\n'))
            {
                if (j > start && IsText(html, units[j - 1], '\n')) { paragraph = j + 1; paragraphLen = length; }
                else { line = j + 1; lineLen = length; }
            }
            else if (IsText(html, u, ' ')) { word = j + 1; wordLen = length; }
        }
        var enough = limit / 4;
        if (paragraph > start && paragraphLen >= enough) return paragraph;
        if (line > start && lineLen >= enough) return line;
        if (word > start && wordLen >= enough) return word;
        return hard > start ? hard : -1;
    }

    private static void Apply(List<(string Name, string Raw)> stack, string html, HtmlUnit u)
    {
        if (u.Kind == HtmlUnitKind.Open) stack.Add((u.TagName!, html.Substring(u.Start, u.Length)));
        else if (u.Kind == HtmlUnitKind.Close)
        {
            var at = stack.FindLastIndex(t => t.Name == u.TagName);
            if (at >= 0) stack.RemoveAt(at);
        }
    }

    private static bool IsText(string html, HtmlUnit u, params ReadOnlySpan<char> chars) =>
        u.Kind == HtmlUnitKind.Text && u.Length == 1 && chars.Contains(html[u.Start]);
}
