using Moltworker.Kernel.Ids;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Ingest;

/// <summary>Reads a supported file into a <see cref="SourceDocument"/>: Markdown (front matter for title and
/// tags), HTML (converted to Markdown), plain text and source code.</summary>
public static class DocumentReader
{
    private static readonly Dictionary<string, DocumentFormat> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".md"] = DocumentFormat.Markdown, [".markdown"] = DocumentFormat.Markdown, [".mdx"] = DocumentFormat.Markdown,
        [".html"] = DocumentFormat.Html, [".htm"] = DocumentFormat.Html,
        [".txt"] = DocumentFormat.PlainText, [".text"] = DocumentFormat.PlainText, [".rst"] = DocumentFormat.PlainText,
        [".adoc"] = DocumentFormat.PlainText, [".csv"] = DocumentFormat.PlainText,
        [".cs"] = DocumentFormat.Code, [".fs"] = DocumentFormat.Code, [".vb"] = DocumentFormat.Code,
        [".py"] = DocumentFormat.Code, [".js"] = DocumentFormat.Code, [".mjs"] = DocumentFormat.Code, [".ts"] = DocumentFormat.Code,
        [".tsx"] = DocumentFormat.Code, [".jsx"] = DocumentFormat.Code, [".go"] = DocumentFormat.Code, [".rs"] = DocumentFormat.Code,
        [".java"] = DocumentFormat.Code, [".kt"] = DocumentFormat.Code, [".swift"] = DocumentFormat.Code, [".rb"] = DocumentFormat.Code,
        [".php"] = DocumentFormat.Code, [".c"] = DocumentFormat.Code, [".h"] = DocumentFormat.Code, [".cpp"] = DocumentFormat.Code,
        [".hpp"] = DocumentFormat.Code, [".sh"] = DocumentFormat.Code, [".ps1"] = DocumentFormat.Code, [".sql"] = DocumentFormat.Code,
        [".json"] = DocumentFormat.Code, [".yaml"] = DocumentFormat.Code, [".yml"] = DocumentFormat.Code, [".toml"] = DocumentFormat.Code,
        [".xml"] = DocumentFormat.Code, [".csproj"] = DocumentFormat.Code, [".props"] = DocumentFormat.Code, [".proto"] = DocumentFormat.Code,
    };

    public static bool IsSupported(string path) => Extensions.ContainsKey(Path.GetExtension(path));

    /// <param name="extraTags">Tags given at ingest (e.g. <c>--tag</c>); part of the hash, so adding one updates the document.</param>
    public static async Task<SourceDocument> ReadAsync(string path, CancellationToken cancellationToken, IReadOnlyList<string>? extraTags = null)
    {
        var full = Path.GetFullPath(path);
        var raw = await File.ReadAllTextAsync(full, cancellationToken);
        var updated = new DateTimeOffset(File.GetLastWriteTimeUtc(full), TimeSpan.Zero);
        return FromText(full, raw, Extensions.GetValueOrDefault(Path.GetExtension(full), DocumentFormat.PlainText), updated, extraTags);
    }

    /// <summary>Builds a document from text already in memory (tests, tools, URLs fetched elsewhere).</summary>
    public static SourceDocument FromText(string source, string raw, DocumentFormat format, DateTimeOffset updatedAt, IReadOnlyList<string>? extraTags = null)
    {
        raw = raw.Replace("\r\n", "\n");
        string? title = null;
        IReadOnlyList<string> tags = [];
        var text = raw;
        switch (format)
        {
            case DocumentFormat.Markdown:
                (title, tags, text) = FrontMatter.Split(raw);
                title ??= FirstHeading(text);
                break;
            case DocumentFormat.Html:
                (title, text) = HtmlToMarkdown.Convert(raw);
                title ??= FirstHeading(text);
                break;
            case DocumentFormat.Code:
                title = Path.GetFileName(source);
                break;
        }
        title ??= Path.GetFileNameWithoutExtension(source.TrimEnd('/'));
        var allTags = tags.Concat(extraTags ?? []).Distinct(StringComparer.Ordinal).ToList();
        return new SourceDocument
        {
            Id = ChunkIds.Document(source),
            Source = source,
            Title = title,
            Text = text,
            Format = format,
            Tags = allTags,
            UpdatedAt = updatedAt,
            Hash = Hash(format, title, allTags, text),
        };
    }

    private static string? FirstHeading(string markdown)
    {
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("# ", StringComparison.Ordinal)) return line[2..].Trim().TrimEnd('#').Trim();
        }
        return null;
    }

    private static string Hash(DocumentFormat format, string title, IReadOnlyList<string> tags, string text) =>
        ContentHash.Hex($"{format}\u001f{title}\u001f{string.Join('|', tags)}\u001f{text}");
}
