using System.Text.RegularExpressions;

namespace Moltworker.Knowledge.Answers;

/// <summary>
/// Keeps only citation markers that point to a retrieved passage: <c>[n]</c> with 1 ≤ n ≤ the number of passages.
/// Other markers (<c>[7]</c> of five passages, <c>[0]</c>) are removed with the space before them; grouped markers
/// (<c>[2, 9]</c>) keep their valid numbers. Bracketed text that is not a number is left alone.
/// </summary>
public static partial class CitationCheck
{
    public static CitedText Apply(string text, int passages)
    {
        var removed = new List<int>();
        var used = new SortedSet<int>();
        var cleaned = MarkerRegex().Replace(text, match =>
        {
            var numbers = match.Groups["numbers"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(int.Parse).ToList();
            var valid = numbers.Where(n => n >= 1 && n <= passages).ToList();
            removed.AddRange(numbers.Where(n => n < 1 || n > passages));
            used.UnionWith(valid);
            return valid.Count == 0 ? "" : match.Groups["space"].Value + "[" + string.Join(", ", valid) + "]";
        });
        return new CitedText(cleaned, used.ToList(), removed);
    }

    [GeneratedRegex(@"(?<space>\s?)\[(?<numbers>\d{1,4}(?:\s*,\s*\d{1,4})*)\]")]
    private static partial Regex MarkerRegex();
}
