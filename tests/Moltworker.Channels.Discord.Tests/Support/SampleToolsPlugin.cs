using System.ComponentModel;
using Moltworker.Abstractions;

namespace Moltworker.Channels.Discord.Tests.Support;

public enum Units { Metric, Imperial }

/// <summary>A sample plugin for command generation: every shape of option Discord supports, and a few it does not.</summary>
[Plugin("sample")]
public sealed class SampleToolsPlugin(ToolGate? gate = null) : IToolSuggestions
{
    [Tool("get_weather", Command = true, ParallelSafe = true)]
    [Description("Current weather and a forecast for a city.")]
    public string GetWeather(
        [Description("How many days of forecast")] int days,
        [Description("City name, e.g. Berlin")] string city,
        [Description("Units of measurement")] Units units = Units.Metric,
        [Description("Include hourly detail")] bool hourly = false)
        => $"{city}: sunny for {days} days ({units}, hourly: {hourly})";

    [Tool("convertCurrencyAmountsBetweenDifferentCountriesQuickly", Command = true)]
    [Description("Converts an amount of money from one currency to another using the latest exchange rates published by the central bank of the source country, rounding to cents.")]
    public string Convert(
        [Description("Amount to convert")] double amount,
        [Description("Source currency (ISO 4217)")] string from,
        [Description("Target currency (ISO 4217)")] string to)
        => $"{amount} {from} = {amount * 2} {to}";

    [Tool("briefing", Command = true, CommandName = "briefing")]
    [Description("A morning briefing: weather, calendar and news.")]
    public string Briefing(ToolContext context, [Description("Topics to include")] string[] topics, [Description("A note")] string? note = null)
        => $"Briefing on {string.Join(", ", topics)} for {context.UserId}";

    [Tool("slow_task", Command = true, TimeoutSeconds = 60)]
    [Description("Takes a while (in tests: until released).")]
    public async Task<string> SlowTask(CancellationToken cancellationToken)
    {
        if (gate is not null) await gate.HoldAsync(cancellationToken);
        return "slow task done";
    }

    [Tool("echo", Command = true)]
    [Description("Says the text back.")]
    public string Echo([Description("Text to echo")] string text, ToolContext context)
    {
        gate?.Log.Enqueue($"echo:{text}");
        return $"echo: {text} (chat {context.ChatId}, user {context.UserId})";
    }

    [Tool("long_text", Command = true)]
    [Description("Returns a long text.")]
    public string LongText([Description("Number of lines")] int lines) =>
        string.Join('\n', Enumerable.Range(1, lines).Select(i => $"Line {i:D4}: " + new string('x', 60)));

    [Tool("fail", Command = true)]
    [Description("Always fails.")]
    public string Fail() => throw new ToolException("the sample tool failed on purpose");

    [Tool("model_only")]
    [Description("Not offered as a command.")]
    public string ModelOnly() => "x";

    public Task<IReadOnlyList<string>> SuggestAsync(string tool, string parameter, string prefix, CancellationToken cancellationToken)
    {
        string[] cities = ["Berlin", "Bern", "Bergen", "Boston", "Paris"];
        return Task.FromResult<IReadOnlyList<string>>(cities.Where(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList());
    }
}
