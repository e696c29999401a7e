using System.Globalization;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Prompts;

namespace Moltworker.Kernel.Tasks;

/// <summary>
/// The wall-clock budget of a phase: the agent's front matter (<c>budgets: { plan: 120s, work: 8m }</c>) first,
/// then <c>Moltworker:Tasks:Budgets:&lt;phase&gt;</c>, then the defaults plan 120 s, work 480 s, review 90 s.
/// </summary>
public sealed class PhaseBudgets(PromptLibrary prompts, IOptions<TasksOptions> options)
{
    private static readonly Dictionary<string, TimeSpan> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["plan"] = TimeSpan.FromSeconds(120),
        ["work"] = TimeSpan.FromSeconds(480),
        ["review"] = TimeSpan.FromSeconds(90),
    };

    public TimeSpan For(string agent, string phase)
    {
        if (prompts.Get($"agents/{agent}")?.FrontMatter.GetValueOrDefault("budgets") is IDictionary<object, object> map)
            foreach (var (key, value) in map)
                if (string.Equals(key?.ToString(), phase, StringComparison.OrdinalIgnoreCase) && TryParse(value?.ToString(), out var fromAgent))
                    return fromAgent;
        if (options.Value.Budgets.TryGetValue(phase, out var configured)) return configured;
        return Defaults.GetValueOrDefault(phase, options.Value.DefaultBudget);
    }

    /// <summary>"90", "90s", "500ms", "8m", "1h", or a TimeSpan ("00:08:00").</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        (string Suffix, double Scale)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, scale) in units)
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                value = TimeSpan.FromSeconds(n * scale);
                return value > TimeSpan.Zero;
            }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) { value = TimeSpan.FromSeconds(seconds); return seconds > 0; }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value > TimeSpan.Zero;
    }
}
