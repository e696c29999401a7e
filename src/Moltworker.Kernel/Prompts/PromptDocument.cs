namespace Moltworker.Kernel.Prompts;

/// <summary>A Markdown prompt file with its YAML front matter.</summary>
public sealed record PromptDocument(string Name, IReadOnlyDictionary<string, object?> FrontMatter, string Body)
{
    public IReadOnlyList<string> GetList(string key) => FrontMatter.GetValueOrDefault(key) switch
    {
        IEnumerable<object?> items when FrontMatter[key] is not string => items.Select(i => i?.ToString() ?? "").Where(s => s.Length > 0).ToList(),
        string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        _ => [],
    };
}
