using System.ComponentModel;
using System.Globalization;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Time;

/// <summary><c>get_time</c> (the <c>/time</c> command): the current date and time in a time zone.</summary>
[Plugin("Time", Description = "The current date and time in any time zone.")]
public sealed class TimePlugin(TimeOptions options, TimeProvider time) : IToolSuggestions
{
    [KernelFunction("get_time")]
    [ToolSafety(SideEffects = false, ParallelSafe = true, Command = true, CommandName = "time")]
    [Description("The current date and time in a time zone (IANA id like \"Europe/Berlin\", a city like \"Tokyo\", or \"UTC+2\").")]
    public string GetTime(
        [Description("IANA time zone id, city or UTC offset. Empty: the configured default.")] string? timezone = null)
    {
        var query = string.IsNullOrWhiteSpace(timezone) ? options.DefaultTimeZone : timezone;
        var zone = TimeZones.Find(query)
                   ?? throw new ToolException($"unknown time zone \"{query}\"; use an IANA id like \"Europe/Berlin\" or \"America/New_York\", or \"UTC+2\"");
        var now = time.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var name = zone.IsDaylightSavingTime(local) ? zone.DaylightName : zone.StandardName;
        return string.Create(CultureInfo.InvariantCulture,
            $"{local:dddd, d MMMM yyyy, HH:mm:ss} in {zone.Id} (UTC{sign}{offset.Duration():hh\\:mm}{(name != zone.Id ? $", {name}" : "")})");
    }

    public Task<IReadOnlyList<string>> SuggestAsync(string tool, string parameter, string prefix, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> result = tool == "get_time" && parameter == "timezone"
            ? TimeZones.All.Where(id => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ||
                                        id.Contains("/" + prefix.Replace(' ', '_'), StringComparison.OrdinalIgnoreCase)).Take(25).ToList()
            : [];
        return Task.FromResult(result);
    }
}
