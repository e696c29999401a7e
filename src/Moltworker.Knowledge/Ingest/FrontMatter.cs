using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Moltworker.Knowledge.Ingest;

/// <summary>YAML front matter at the top of a Markdown file (between '---' lines): <c>title</c> and
/// <c>tags</c> (a list or a comma-separated string) are used; the rest is ignored.</summary>
internal static class FrontMatter
{
    public static (string? Title, IReadOnlyList<string> Tags, string Body) Split(string text)
    {
        if (!text.StartsWith("---", StringComparison.Ordinal)) return (null, [], text);
        var firstEnd = text.IndexOf('\n');
        if (firstEnd < 0 || text[..firstEnd].Trim() != "---") return (null, [], text);
        var close = FindClose(text, firstEnd + 1);
        if (close.Start < 0) return (null, [], text);
        var yaml = text[(firstEnd + 1)..close.Start];
        var body = text[close.End..];
        try
        {
            var data = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(yaml) ?? [];
            var title = data.TryGetValue("title", out var t) ? t?.ToString()?.Trim() : null;
            var tags = data.TryGetValue("tags", out var raw) ? Tags(raw) : [];
            return (string.IsNullOrEmpty(title) ? null : title, tags, body);
        }
        catch (YamlException)
        {
            return (null, [], body);
        }
    }

    private static (int Start, int End) FindClose(string text, int from)
    {
        var position = from;
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position);
            var line = end < 0 ? text[position..] : text[position..end];
            if (line.Trim() is "---" or "...") return (position, end < 0 ? text.Length : end + 1);
            if (end < 0) break;
            position = end + 1;
        }
        return (-1, -1);
    }

    private static IReadOnlyList<string> Tags(object? raw) => raw switch
    {
        string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        IEnumerable<object?> list => list.Select(x => x?.ToString()?.Trim()).Where(x => !string.IsNullOrEmpty(x)).Select(x => x!).ToList(),
        _ => [],
    };
}
