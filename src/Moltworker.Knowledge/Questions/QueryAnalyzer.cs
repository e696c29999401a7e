using System.Text.RegularExpressions;
using Moltworker.Knowledge.Text;

namespace Moltworker.Knowledge.Questions;

/// <summary>
/// Reads a natural-language question: recognises "what is X", "how do I …" and "why does …", and keeps the words
/// that carry meaning. Question and stop words are dropped by <see cref="TermTokenizer"/>; when that would leave
/// nothing ("what is it?"), the raw words are kept so the query still matches. Stemming is FTS5's (porter).
/// </summary>
public static partial class QueryAnalyzer
{
    public static AnalyzedQuery Analyze(string text)
    {
        var trimmed = text.Trim();
        var terms = Distinct(TermTokenizer.Tokenize(trimmed));
        if (terms.Count == 0) terms = Distinct(RawWords(trimmed));

        var definition = DefinitionRegex().Match(trimmed);
        if (!definition.Success) definition = MeanRegex().Match(trimmed);
        if (definition.Success)
        {
            var subject = Distinct(TermTokenizer.Tokenize(definition.Groups["subject"].Value));
            if (subject.Count is > 0 and <= 4) return new AnalyzedQuery(trimmed, terms, QuestionKind.Definition, subject);
        }
        if (HowToRegex().IsMatch(trimmed)) return new AnalyzedQuery(trimmed, terms, QuestionKind.HowTo, []);
        if (WhyRegex().IsMatch(trimmed)) return new AnalyzedQuery(trimmed, terms, QuestionKind.Why, []);
        return new AnalyzedQuery(trimmed, terms, QuestionKind.Keywords, []);
    }

    private static List<string> Distinct(IEnumerable<string> terms) => terms.Distinct(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> RawWords(string text) =>
        WordRegex().Matches(text).Select(m => m.Value.ToLowerInvariant());

    [GeneratedRegex(@"^(?:what|who)(?:\s+(?:is|are|was|were)|'s|’s)\s+(?:an?\s+|the\s+)?(?<subject>[^?.!]+?)\s*[?.!]*$|^define\s+(?<subject>[^?.!]+?)\s*[?.!]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DefinitionRegex();

    [GeneratedRegex(@"^what\s+(?:does|do)\s+(?:an?\s+|the\s+)?(?<subject>[^?.!]+?)\s+mean\s*[?.!]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MeanRegex();

    [GeneratedRegex(@"^how\s+(?:do|can|should|would|could|does|to)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HowToRegex();

    [GeneratedRegex(@"^why\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WhyRegex();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordRegex();
}
