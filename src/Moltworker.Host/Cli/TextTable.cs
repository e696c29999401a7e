namespace Moltworker.Host.Cli;

/// <summary>Plain aligned columns for CLI output (pipes and greps well; no colours).</summary>
public static class TextTable
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var all = rows.Select(r => r.Select(c => (c ?? "").ReplaceLineEndings(" ")).ToList()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => i < r.Count ? r[i].Length : 0))).ToList();
        var lines = new List<string> { Line(headers.ToList(), widths) };
        lines.AddRange(all.Select(r => Line(r, widths)));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Line(List<string> cells, List<int> widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

    public static string Clip(string? text, int max) =>
        text is null ? "" : text.Length <= max ? text : text[..Math.Max(0, max - 1)] + "…";
}
