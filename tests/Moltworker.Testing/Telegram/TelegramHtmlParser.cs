using System.Globalization;
using System.Text;

namespace Moltworker.Testing.Telegram;

/// <summary>
/// Parses text in Telegram's HTML parse mode the way the Bot API does, strictly: only the supported tags,
/// properly nested; bare &lt;, &gt; and &amp; rejected; only &amp;lt; &amp;gt; &amp;amp; &amp;quot; and numeric entities.
/// Returns the visible text or the "can't parse entities" reason.
/// </summary>
public static class TelegramHtmlParser
{
    private static readonly HashSet<string> Supported =
        ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote"];

    public static bool TryParse(string html, out string text, out string? error)
    {
        var sb = new StringBuilder(html.Length);
        var stack = new Stack<string>();
        error = null;
        text = "";
        for (var i = 0; i < html.Length; i++)
        {
            var c = html[i];
            var offset = new ByteOffset(html, i);
            if (c == '<')
            {
                var end = html.IndexOf('>', i);
                if (end < 0) { error = $"Unclosed start tag at byte offset {offset}"; return false; }
                var inner = html[(i + 1)..end];
                if (inner.StartsWith('/'))
                {
                    var name = inner[1..].Trim().ToLowerInvariant();
                    if (stack.Count == 0 || stack.Peek() != name) { error = $"Unexpected end tag at byte offset {offset}"; return false; }
                    stack.Pop();
                }
                else
                {
                    var name = TagName(inner);
                    if (!Supported.Contains(name)) { error = $"Unsupported start tag \"{name}\" at byte offset {offset}"; return false; }
                    if (stack.Count > 0 && stack.Peek() == "code" || stack.Count > 0 && stack.Peek() == "pre" && name != "code")
                    { error = $"Can't nest \"{name}\" in a code entity at byte offset {offset}"; return false; }
                    if (!CheckAttributes(name, inner[name.Length..], out var attrError)) { error = $"{attrError} at byte offset {offset}"; return false; }
                    stack.Push(name);
                }
                i = end;
                continue;
            }
            if (c == '>') { error = $"Unexpected character '>' at byte offset {offset}"; return false; }
            if (c == '&')
            {
                if (!TryEntity(html, i, out var decoded, out var length)) { error = $"Unsupported HTML entity at byte offset {offset}"; return false; }
                sb.Append(decoded);
                i += length - 1;
                continue;
            }
            sb.Append(c);
        }
        if (stack.Count > 0) { error = $"Can't find end tag corresponding to start tag \"{stack.Peek()}\""; return false; }
        text = sb.ToString();
        return true;
    }

    /// <summary>The UTF-8 byte offset of a position, computed only when an error message needs it.</summary>
    private readonly record struct ByteOffset(string Html, int Index)
    {
        public override string ToString() => Encoding.UTF8.GetByteCount(Html.AsSpan(0, Index)).ToString(CultureInfo.InvariantCulture);
    }

    private static string TagName(string inner)
    {
        var n = 0;
        while (n < inner.Length && (char.IsAsciiLetterOrDigit(inner[n]) || inner[n] == '-')) n++;
        return inner[..n].ToLowerInvariant();
    }

    private static bool CheckAttributes(string name, string rest, out string? error)
    {
        error = null;
        var attrs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var s = rest.Trim();
        while (s.Length > 0)
        {
            var eq = s.IndexOf('=');
            if (eq < 0) { attrs[s.Trim()] = ""; break; }
            var key = s[..eq].Trim();
            s = s[(eq + 1)..].TrimStart();
            if (s.Length == 0 || s[0] is not ('"' or '\'')) { error = "Expected quoted attribute value"; return false; }
            var close = s.IndexOf(s[0], 1);
            if (close < 0) { error = "Unclosed attribute value"; return false; }
            attrs[key] = s[1..close];
            s = s[(close + 1)..].TrimStart();
        }
        foreach (var value in attrs.Values)
            if (value.Contains('<') || value.Contains('>') || value.Contains('"')) { error = "Bad attribute value"; return false; }
        switch (name)
        {
            case "a" when !attrs.ContainsKey("href"): error = "Tag \"a\" must have attribute \"href\""; return false;
            case "span" when !(attrs.TryGetValue("class", out var cls) && cls == "tg-spoiler"): error = "Tag \"span\" must have class \"tg-spoiler\""; return false;
            case "code" when attrs.TryGetValue("class", out var lang) && !lang.StartsWith("language-", StringComparison.Ordinal): error = "Bad code class"; return false;
        }
        return true;
    }

    private static bool TryEntity(string html, int at, out string decoded, out int length)
    {
        decoded = "";
        length = 0;
        var semi = html.IndexOf(';', at);
        if (semi < 0 || semi - at > 12) return false;
        var name = html[(at + 1)..semi];
        switch (name)
        {
            case "lt": decoded = "<"; break;
            case "gt": decoded = ">"; break;
            case "amp": decoded = "&"; break;
            case "quot": decoded = "\""; break;
            default:
                if (name.Length < 2 || name[0] != '#') return false;
                var hex = name[1] is 'x' or 'X';
                if (!int.TryParse(hex ? name[2..] : name[1..], hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                    || code is < 1 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF)) return false;
                decoded = char.ConvertFromUtf32(code);
                break;
        }
        length = semi - at + 1;
        return true;
    }
}
