using System.Globalization;
using System.Text;

namespace Moltworker.Channels.Telegram.Commands;

/// <summary>Telegram's rules for bot commands: 1-32 of a-z, 0-9 and "_"; descriptions 1-256 characters.</summary>
public static class CommandNames
{
    public const int MaxNameLength = 32;
    public const int MaxDescriptionLength = 256;
    public const int MaxCommands = 100;

    /// <summary>"Web.Fetch-Page" → "web_fetch_page"; accents dropped; null when nothing usable is left.</summary>
    public static string? Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var decomposed = name.Trim().TrimStart('/').Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        for (var i = 0; i < decomposed.Length; i++)
        {
            var c = decomposed[i];
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsAsciiLetterUpper(c) && i > 0 && char.IsAsciiLetterLower(decomposed[i - 1]) && sb.Length > 0 && sb[^1] != '_')
                sb.Append('_');
            c = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
        }
        var result = sb.ToString().Trim('_');
        if (result.Length > MaxNameLength) result = result[..MaxNameLength].TrimEnd('_');
        return result.Length == 0 ? null : result;
    }

    /// <summary>Whitespace collapsed, cut to 256 characters; the name when empty.</summary>
    public static string Describe(string? description, string name)
    {
        var text = string.Join(' ', (description ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length == 0) text = name;
        if (text.Length > MaxDescriptionLength)
        {
            var cut = MaxDescriptionLength - 1;
            if (char.IsHighSurrogate(text[cut - 1])) cut--;
            text = text[..cut] + "…";
        }
        return text;
    }
}
