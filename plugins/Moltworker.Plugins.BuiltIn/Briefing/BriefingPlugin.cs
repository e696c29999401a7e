using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Briefing;

/// <summary>
/// <c>/briefing</c>: weather, news and crypto fetched in ONE batch through <see cref="IToolInvoker"/> (so they run in
/// parallel and through every filter), then a short summary. A failing source is named; the others still show.
/// </summary>
[Plugin("Briefing", Description = "A morning briefing: weather, top news and crypto prices in one go.")]
public sealed class BriefingPlugin(BriefingOptions options, IToolInvoker tools, TimeProvider time)
{
    [KernelFunction("get_briefing")]
    [ToolSafety(SideEffects = false, ParallelSafe = true, Command = true, CommandName = "briefing")]
    [Description("A short briefing: current weather, top news headlines and crypto prices, fetched in parallel.")]
    public async Task<string> GetBriefingAsync(
        [Description("Place for the weather. Empty: the configured default.")] string? location = null,
        ToolContext? context = null,
        CancellationToken cancellationToken = default)
    {
        var place = string.IsNullOrWhiteSpace(location) ? options.Location : location;
        var sections = new (string Title, ToolRequest Request)[]
        {
            ("Weather", new ToolRequest(options.WeatherTool, Args(("location", place)))),
            ("News", new ToolRequest(options.NewsTool, Args(("count", options.NewsCount)))),
            ("Crypto", new ToolRequest(options.CryptoTool, Args(("coins", options.Coins), ("currency", options.Currency)))),
        };
        var outcomes = await tools.InvokeBatchAsync(sections.Select(s => s.Request).ToList(), context ?? new ToolContext(), cancellationToken)
            .ConfigureAwait(false);

        var text = new StringBuilder("**Briefing** · ")
            .Append(time.GetUtcNow().ToString("ddd d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture));
        for (var i = 0; i < sections.Length; i++)
        {
            text.Append("\n\n**").Append(sections[i].Title).Append("**\n");
            var outcome = i < outcomes.Count ? outcomes[i] : new ToolOutcome(sections[i].Request.Tool, "no result", true);
            if (outcome.IsError) text.Append("_unavailable: ").Append(Reason(outcome.Content)).Append('_');
            else text.Append(outcome.Content.Trim());
        }
        return text.ToString();
    }

    private static string Reason(string content)
    {
        var reason = content.Trim();
        if (reason.StartsWith("Error:", StringComparison.OrdinalIgnoreCase)) reason = reason[6..].Trim();
        return reason.Length > 200 ? reason[..200] + "…" : reason;
    }

    private static Dictionary<string, object?> Args(params (string Name, object? Value)[] pairs) =>
        pairs.Where(p => p.Value is not null && !(p.Value is string s && string.IsNullOrWhiteSpace(s)))
             .ToDictionary(p => p.Name, p => p.Value);
}
