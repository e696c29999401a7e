namespace Moltworker.Channels.Discord.Interactions;

/// <summary>
/// Splits a long answer into messages of at most <see cref="MaxLength"/> characters, preferring paragraph, then
/// line, then word boundaries, and keeping Markdown code fences balanced across the cut.
/// </summary>
public static class MessageSplitter
{
    public const int MaxLength = 2000;

    public static IReadOnlyList<string> Split(string text, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(text)) return ["(empty answer)"];
        var parts = new List<string>();
        var rest = text;
        var reopen = "";
        while (rest.Length > 0)
        {
            rest = reopen + rest;
            if (rest.Length <= maxLength) { parts.Add(rest); break; }
            // Leave room for a closing fence.
            var budget = maxLength - 4;
            var cut = Cut(rest, budget);
            var part = rest[..cut].TrimEnd();
            rest = rest[cut..].TrimStart('\n', ' ');
            reopen = "";
            if (OpenFence(part) is { } fence)
            {
                part += "\n```";
                reopen = fence + "\n";
            }
            parts.Add(part);
        }
        return parts;
    }

    private static int Cut(string s, int budget)
    {
        var window = s[..budget];
        foreach (var sep in new[] { "\n\n", "\n", " " })
        {
            var i = window.LastIndexOf(sep, StringComparison.Ordinal);
            if (i > budget / 2) return i + sep.Length;
        }
        // Do not split a surrogate pair.
        return char.IsHighSurrogate(s[budget - 1]) ? budget - 1 : budget;
    }

    /// <summary>The opening fence line (e.g. "```csharp") when <paramref name="part"/> ends inside a code block.</summary>
    private static string? OpenFence(string part)
    {
        string? open = null;
        foreach (var line in part.Split('\n'))
        {
            var t = line.TrimStart();
            if (!t.StartsWith("```", StringComparison.Ordinal)) continue;
            open = open is null ? t.TrimEnd() : null;
        }
        return open;
    }
}
