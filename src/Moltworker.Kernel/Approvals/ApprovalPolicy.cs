using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Moltworker.Abstractions;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Approvals;

/// <summary>
/// Decides whether a call waits for a person: the first <see cref="ApprovalsOptions.Policy"/> rule that matches decides;
/// with none matching, a tool that declares <see cref="ToolMetadata.NeedsApproval"/> needs it, except a
/// <c>github_api</c> call whose method is GET (it reads only, though the tool as a whole may write).
/// </summary>
public sealed class ApprovalPolicy(IOptionsMonitor<ApprovalsOptions> options)
{
    private const string GitHubApi = "github_api";
    private readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    public bool Requires(CallContext call, ChatAddress address)
    {
        var metadata = call.Metadata;
        foreach (var rule in options.CurrentValue.Policy)
            if (Matches(rule, call.Call.Name, metadata, address)) return rule.Require;
        if (!metadata.NeedsApproval) return false;
        return !(call.Call.Name == GitHubApi && IsGet(call));
    }

    private bool Matches(ApprovalRule rule, string tool, ToolMetadata metadata, ChatAddress address) =>
        (rule.Tool is null || Pattern(rule.Tool).IsMatch(tool) || (metadata.Plugin.Length > 0 && Pattern(rule.Tool).IsMatch(metadata.Plugin))) &&
        (rule.SideEffecting is null || rule.SideEffecting == metadata.SideEffects) &&
        (rule.Channel is null || string.Equals(rule.Channel, address.Channel, StringComparison.OrdinalIgnoreCase)) &&
        (rule.Chat is null || string.Equals(rule.Chat, address.ChatId, StringComparison.Ordinal));

    private Regex Pattern(string glob) => _patterns.GetOrAdd(glob, static g =>
        new Regex("^" + Regex.Escape(g).Replace(@"\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)));

    private static bool IsGet(CallContext call) =>
        call.Arguments.TryGetValue("method", out var value) &&
        string.Equals(Text(value)?.Trim(), "GET", StringComparison.OrdinalIgnoreCase);

    private static string? Text(object? value) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        _ => null,
    };
}
