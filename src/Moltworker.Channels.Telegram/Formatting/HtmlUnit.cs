namespace Moltworker.Channels.Telegram.Formatting;

/// <summary>An indivisible piece of Telegram HTML: a tag, an entity, a character or a surrogate pair.</summary>
internal readonly record struct HtmlUnit(int Start, int Length, HtmlUnitKind Kind, string? TagName = null)
{
    public static IReadOnlyList<HtmlUnit> Tokenize(string html)
    {
        var units = new List<HtmlUnit>(html.Length);
        for (var i = 0; i < html.Length;)
        {
            var c = html[i];
            if (c == '<')
            {
                var end = html.IndexOf('>', i);
                if (end > i)
                {
                    var closing = i + 1 < html.Length && html[i + 1] == '/';
                    var nameStart = closing ? i + 2 : i + 1;
                    var nameEnd = nameStart;
                    while (nameEnd < end && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] == '-')) nameEnd++;
                    var name = html[nameStart..nameEnd].ToLowerInvariant();
                    units.Add(new HtmlUnit(i, end - i + 1, closing ? HtmlUnitKind.Close : HtmlUnitKind.Open, name));
                    i = end + 1;
                    continue;
                }
            }
            if (c == '&' && TelegramHtml.TryDecodeEntity(html, i, out _, out var entityLength))
            {
                units.Add(new HtmlUnit(i, entityLength, HtmlUnitKind.Text));
                i += entityLength;
                continue;
            }
            var length = char.IsHighSurrogate(c) && i + 1 < html.Length && char.IsLowSurrogate(html[i + 1]) ? 2 : 1;
            units.Add(new HtmlUnit(i, length, HtmlUnitKind.Text));
            i += length;
        }
        return units;
    }
}

internal enum HtmlUnitKind { Text, Open, Close }
