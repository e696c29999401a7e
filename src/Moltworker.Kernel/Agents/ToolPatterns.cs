using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Agents;

/// <summary>An agent's <c>tools</c> list: each entry names a tool (<c>github_read_file</c>) or a plugin
/// (<c>GitHub</c>), with <c>*</c> as a wildcard (<c>github_*</c>); case does not matter.</summary>
public static class ToolPatterns
{
    public static bool Allows(IReadOnlyList<string>? patterns, AIFunction tool)
    {
        if (patterns is null) return true;
        var plugin = ToolMetadata.Of(tool).Plugin;
        return patterns.Any(p => Matches(p, tool.Name) || (plugin.Length > 0 && Matches(p, plugin)));
    }

    public static bool Matches(string pattern, string name) =>
        pattern == "*" || Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
