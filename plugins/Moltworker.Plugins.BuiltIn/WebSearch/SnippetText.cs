using System.Net;
using System.Text.RegularExpressions;

namespace Moltworker.Plugins.BuiltIn.WebSearch;

/// <summary>Search services mark matches with tags (<c>&lt;strong&gt;</c>) and escape entities: plain text on one line.</summary>
internal static partial class SnippetText
{
    public static string Clean(string? html)
    {
        if (string.IsNullOrWhiteSpace(html)) return "";
        var text = WebUtility.HtmlDecode(Tags().Replace(html, ""));
        return Spaces().Replace(text, " ").Trim();
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
