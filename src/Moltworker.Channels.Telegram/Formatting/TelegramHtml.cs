using System.Globalization;
using System.Text;

namespace Moltworker.Channels.Telegram.Formatting;

/// <summary>Escaping for Telegram's HTML parse mode and the way back to plain text.</summary>
public static class TelegramHtml
{
    /// <summary>Escapes text content (&amp;, &lt;, &gt;).</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>") < 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Escapes an attribute value (also the double quote).</summary>
    public static string EscapeAttribute(string text) => Escape(text).Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>Replaces unpaired surrogates (which cannot be sent as UTF-8) with U+FFFD.</summary>
    public static string RepairSurrogates(string text)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = !char.IsSurrogate(c) || (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]));
            if (ok && char.IsHighSurrogate(c))
            {
                sb?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (!ok) sb ??= new StringBuilder(text, 0, i, text.Length);
            sb?.Append(ok ? c : '\uFFFD');
        }
        return sb?.ToString() ?? text;
    }

    /// <summary>The text a reader sees: tags dropped, entities decoded.</summary>
    public static string ToPlainText(string html)
    {
        var sb = new StringBuilder(html.Length);
        for (var i = 0; i < html.Length; i++)
        {
            var c = html[i];
            if (c == '<')
            {
                var end = html.IndexOf('>', i);
                if (end < 0) { sb.Append(html, i, html.Length - i); break; }
                i = end;
                continue;
            }
            if (c == '&' && TryDecodeEntity(html, i, out var decoded, out var length))
            {
                sb.Append(decoded);
                i += length - 1;
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Decodes one of the entities Telegram accepts (&amp;lt; &amp;gt; &amp;amp; &amp;quot; and numeric ones).</summary>
    public static bool TryDecodeEntity(string html, int at, out string decoded, out int length)
    {
        decoded = "";
        length = 0;
        var semi = html.IndexOf(';', at);
        if (semi < 0 || semi - at > 12) return false;
        var name = html.AsSpan(at + 1, semi - at - 1);
        switch (name)
        {
            case "lt": decoded = "<"; break;
            case "gt": decoded = ">"; break;
            case "amp": decoded = "&"; break;
            case "quot": decoded = "\""; break;
            default:
                if (name.Length < 2 || name[0] != '#') return false;
                var hex = name[1] is 'x' or 'X';
                var digits = hex ? name[2..] : name[1..];
                if (!int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)) return false;
                if (code is < 1 or > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF) return false;
                decoded = char.ConvertFromUtf32(code);
                break;
        }
        length = semi - at + 1;
        return true;
    }
}
