using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Moltworker.Benchmarks;

/// <summary>
/// The labelled set of <see cref="KnowledgeBench"/>, built from Debian's manual pages (/usr/share/man/man1):
/// the query is a page's one-line NAME summary (the text after "\-"), the relevant document is that page with
/// its NAME section removed, converted from roff to plain text. Redirect pages (.so), pages without a summary
/// and summaries shared by several pages are skipped.
/// </summary>
internal static partial class KnowledgeBenchCorpus
{
    public sealed record Page(string Name, string Summary, string Text);

    public static List<Page> Load(string folder, int max, int seed)
    {
        if (!Directory.Exists(folder)) return [];
        var files = Directory.GetFiles(folder, "*.gz").Order(StringComparer.Ordinal).ToList();
        var random = new Random(seed);
        var pages = new List<Page>();
        foreach (var file in files.OrderBy(_ => random.Next()))
        {
            if (pages.Count >= max * 2) break;
            string roff;
            try
            {
                using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
                roff = new StreamReader(gz, Encoding.UTF8).ReadToEnd();
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException) { continue; }
            if (roff.TrimStart().StartsWith(".so", StringComparison.Ordinal) || roff.Length < 400) continue;
            var page = Parse(Path.GetFileName(file).Split('.')[0], roff);
            if (page is not null && page.Text.Length > 200) pages.Add(page);
        }
        return pages.GroupBy(p => p.Summary.ToLowerInvariant()).Where(g => g.Count() == 1).Select(g => g.First()).Take(max).ToList();
    }

    private static Page? Parse(string name, string roff)
    {
        var lines = roff.Replace("\r", "").Split('\n');
        var text = new StringBuilder();
        string? summary = null;
        var inName = false;
        foreach (var raw in lines)
        {
            if (raw.StartsWith(".\\\"", StringComparison.Ordinal) || raw.StartsWith("'\\\"", StringComparison.Ordinal)) continue;
            if (raw.StartsWith(".SH", StringComparison.OrdinalIgnoreCase) || raw.StartsWith(".Sh", StringComparison.Ordinal))
            {
                var title = Clean(raw[3..]).Trim().Trim('"');
                inName = title.Equals("NAME", StringComparison.OrdinalIgnoreCase);
                if (!inName) text.Append("\n# ").Append(title).Append("\n\n");
                continue;
            }
            if (inName)
            {
                if (raw.StartsWith(".Nd", StringComparison.Ordinal)) summary = Clean(raw[3..]).Trim();
                var dash = raw.IndexOf("\\-", StringComparison.Ordinal);
                if (summary is null && dash >= 0) summary = Clean(raw[(dash + 2)..]).Trim();
                continue;
            }
            var line = raw.StartsWith('.') ? Request(raw) : Clean(raw);
            if (line.Length > 0) text.Append(line).Append('\n');
        }
        return string.IsNullOrWhiteSpace(summary) || summary.Length < 8 ? null : new Page(name, summary, text.ToString());
    }

    /// <summary>Keeps the text of formatting requests (.B, .I, .SS, .TP arguments) and drops the others.</summary>
    private static string Request(string line)
    {
        var space = line.IndexOf(' ');
        if (space < 0) return line is ".PP" or ".P" or ".LP" or ".TP" or ".IP" or ".sp" ? "" : "";
        var request = line[1..space];
        var args = Clean(line[(space + 1)..]).Replace("\"", "");
        return request switch
        {
            "SS" => "\n## " + args + "\n",
            "B" or "I" or "BR" or "IR" or "RB" or "RI" or "BI" or "IB" or "IP" or "TP" or "Nm" or "Ar" or "Fl" or "It" or "Pa" => args,
            _ => "",
        };
    }

    private static string Clean(string text)
    {
        text = FontRegex().Replace(text, "");
        text = text.Replace("\\-", "-").Replace("\\(em", "—").Replace("\\(en", "–").Replace("\\e", "\\").Replace("\\&", "").Replace("\\ ", " ");
        return EscapeRegex().Replace(text, "");
    }

    [GeneratedRegex(@"\\f(\[[^\]]*\]|\(..|.)")]
    private static partial Regex FontRegex();

    [GeneratedRegex(@"\\(\(..|\*\(..|\*.|\[[^\]]*\]|[,/|^%0])")]
    private static partial Regex EscapeRegex();
}
