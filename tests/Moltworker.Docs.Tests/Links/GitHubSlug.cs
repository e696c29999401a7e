using System.Globalization;
using System.Text;

namespace Moltworker.Docs.Tests.Links;

/// <summary>GitHub's anchor for a heading: the heading's text lower-cased, punctuation and symbols removed (letters,
/// digits, marks, <c>_</c>, <c>-</c> and spaces stay), spaces turned into <c>-</c>; a repeated anchor gets
/// <c>-1</c>, <c>-2</c>… in order.</summary>
public sealed class GitHubSlug
{
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

    public string Next(string headingText)
    {
        var slug = Of(headingText);
        var candidate = slug;
        if (_seen.TryGetValue(slug, out var count))
        {
            do candidate = $"{slug}-{++count}"; while (_seen.ContainsKey(candidate));
            _seen[slug] = count;
        }
        _seen.TryAdd(candidate, 0);
        return candidate;
    }

    public static string Of(string text)
    {
        var slug = new StringBuilder();
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            var category = char.GetUnicodeCategory(c);
            if (c == ' ') slug.Append('-');
            else if (c is '-' or '_' || char.IsLetterOrDigit(c) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                     or UnicodeCategory.EnclosingMark or UnicodeCategory.ConnectorPunctuation)
                slug.Append(c);
        }
        return slug.ToString();
    }
}
