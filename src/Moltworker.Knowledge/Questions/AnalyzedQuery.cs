namespace Moltworker.Knowledge.Questions;

/// <summary>A query as the ranking sees it: its content terms in order (question and stop words dropped, unless
/// nothing else is left), what kind of question it is, and for a definition question the subject's terms.</summary>
public sealed record AnalyzedQuery(string Text, IReadOnlyList<string> Terms, QuestionKind Kind, IReadOnlyList<string> Subject)
{
    /// <summary>Pairs of neighbouring content terms, for proximity evidence.</summary>
    public IEnumerable<(string First, string Second)> Pairs =>
        Terms.Zip(Terms.Skip(1)).Where(p => p.First != p.Second);
}
