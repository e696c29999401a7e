using System.Globalization;
using Moltworker.Kernel.Prompts;

namespace Moltworker.Kernel.Agents;

/// <summary>
/// Reads one agent file: YAML front matter (<c>description</c>, <c>model</c>, <c>tools</c>, <c>phases</c>,
/// <c>budgets</c>, <c>delegates_to</c>, <c>max_depth</c>) and the body as the system prompt. A value of the wrong shape
/// is an error naming the key and its line, never silently ignored.
/// </summary>
public static class AgentFileParser
{
    private static readonly HashSet<string> Keys = ["description", "model", "tools", "phases", "budgets", "delegates_to", "max_depth"];

    /// <exception cref="FrontMatterException">The front matter is not valid YAML or a key has a value of the wrong shape.</exception>
    public static AgentDefinition Parse(string name, string text)
    {
        var document = FrontMatterParser.Parse($"agents/{name}", text);
        var front = document.FrontMatter;
        foreach (var key in front.Keys.Where(k => !Keys.Contains(k)))
            throw Error(name, text, key, $"unknown key '{key}' (known: {string.Join(", ", Keys.Order())})");
        var phases = List(name, text, front, "phases") ?? [];
        if (front.TryGetValue("budgets", out var budgets) && budgets is not null and not IDictionary<object, object>)
            throw Error(name, text, "budgets", "'budgets' must be a map of phase to duration, e.g. { work: 8m }");
        if (budgets is IDictionary<object, object> map)
            foreach (var (phase, value) in map)
                if (!Tasks.PhaseBudgets.TryParse(value?.ToString(), out _))
                    throw Error(name, text, "budgets", $"the budget of phase '{phase}' is not a duration ('{value}'; say 90s, 8m or 1h)");
        int? maxDepth = null;
        if (front.TryGetValue("max_depth", out var depth) && depth is not null)
        {
            if (!int.TryParse(depth.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                throw Error(name, text, "max_depth", $"'max_depth' must be a whole number ('{depth}')");
            maxDepth = parsed;
        }
        return new AgentDefinition(name, document.Body, phases.Count > 0 ? phases : ["work"])
        {
            Description = Scalar(name, text, front, "description") ?? "",
            Model = Scalar(name, text, front, "model"),
            Tools = List(name, text, front, "tools"),
            DelegatesTo = List(name, text, front, "delegates_to") ?? [],
            MaxDepth = maxDepth,
            Document = document,
        };
    }

    private static string? Scalar(string name, string text, IReadOnlyDictionary<string, object?> front, string key) => front.GetValueOrDefault(key) switch
    {
        null => null,
        string s => s.Trim(),
        _ => throw Error(name, text, key, $"'{key}' must be text"),
    };

    /// <summary>A YAML list or a comma-separated string; null when the key is absent.</summary>
    private static List<string>? List(string name, string text, IReadOnlyDictionary<string, object?> front, string key)
    {
        if (!front.TryGetValue(key, out var value)) return null;
        return value switch
        {
            null => [],
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            IEnumerable<object?> items when items.All(i => i is string) => items.Cast<string>().Select(i => i.Trim()).Where(i => i.Length > 0).ToList(),
            _ => throw Error(name, text, key, $"'{key}' must be a list of names"),
        };
    }

    private static FrontMatterException Error(string name, string text, string key, string reason)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var index = Array.FindIndex(lines, l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return new FrontMatterException($"agents/{name}", index < 0 ? 1 : index + 1, reason);
    }
}
