using System.Text.Json;
using Moltworker.Channels.Discord.Commands;
using Moltworker.Channels.Discord.Tests.Support;
using Moltworker.Kernel.Commands;

namespace Moltworker.Channels.Discord.Tests.Commands;

public sealed class SlashCommandBuilderTests
{
    private static IReadOnlyList<SlashCommand> Build() => SlashCommandBuilder.Build(ToolFunctions.Catalog(new SampleToolsPlugin()));

    [Fact]
    public void Built_ins_come_first_then_tool_commands_only()
    {
        var names = Build().Select(c => c.Name).ToList();
        Assert.Equal(["ask", "reset", "status", "briefing", "convertcurrencyamountsbetweendif", "echo", "fail", "get_weather", "long_text", "slow_task"], names);
    }

    [Fact]
    public void Options_come_from_the_schema_with_required_first_and_enums_as_choices()
    {
        var weather = Build().Single(c => c.Name == "get_weather");
        Assert.Equal(["days", "city", "units", "hourly"], weather.Options.Select(o => o.Name));
        Assert.Equal([true, true, false, false], weather.Options.Select(o => o.Required));
        Assert.Equal(DiscordOptionType.Integer, weather.Option("days")!.Type);
        Assert.Equal(DiscordOptionType.String, weather.Option("city")!.Type);
        Assert.Equal(DiscordOptionType.Boolean, weather.Option("hourly")!.Type);
        Assert.Equal(["Metric", "Imperial"], weather.Option("units")!.Choices);
        Assert.True(weather.Option("city")!.Autocomplete); // the plugin offers suggestions
        Assert.False(weather.Option("units")!.Autocomplete); // choices instead
        var convert = Build().Single(c => c.Name == "convertcurrencyamountsbetweendif");
        Assert.Equal(DiscordOptionType.Number, convert.Option("amount")!.Type);
        Assert.Equal("convertcurrencyamountsbetweendifferentcountriesquickly", convert.Target);
        Assert.True(convert.Description.Length <= 100);
    }

    [Fact]
    public void Array_parameters_are_offered_as_json_text_only_when_required()
    {
        var briefing = Build().Single(c => c.Name == "briefing");
        var topics = Assert.Single(briefing.Options, o => o.Name == "topics");
        Assert.True(topics.Json);
        Assert.True(topics.Required);
        Assert.Contains(briefing.Options, o => o.Name == "note" && !o.Required);
    }

    [Fact]
    public void At_most_25_options_with_required_ones_kept()
    {
        var props = string.Join(",", Enumerable.Range(0, 30).Select(i => $"\"opt{i}\":{{\"type\":\"string\"}}"));
        var schema = JsonDocument.Parse("{\"type\":\"object\",\"properties\":{" + props + "},\"required\":[\"opt29\",\"opt28\"]}").RootElement;
        var options = SchemaOptionReader.Read(schema, hasSuggestions: false);
        Assert.Equal(25, options.Count);
        Assert.Equal(["opt28", "opt29"], options.Take(2).Select(o => o.Name).Order());
    }

    [Fact]
    public void Long_enums_become_autocomplete_instead_of_choices()
    {
        var values = string.Join(",", Enumerable.Range(0, 30).Select(i => $"\"v{i}\""));
        var schema = JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"pick\":{\"type\":\"string\",\"enum\":[" + values + "]}}}").RootElement;
        var option = Assert.Single(SchemaOptionReader.Read(schema, hasSuggestions: false));
        Assert.Empty(option.Choices);
        Assert.True(option.Autocomplete);
        Assert.Equal(30, option.EnumValues.Count);
    }

    [Fact]
    public void A_tool_command_named_like_a_built_in_gets_a_suffix()
    {
        var tool = ToolFunctions.FromPlugin(new SampleToolsPlugin()).First(f => f.Name == "slow_task");
        var commands = SlashCommandBuilder.Build([new ChatCommand("status", "Tool status", tool)]);
        Assert.Equal(["ask", "reset", "status", "status_2"], commands.Select(c => c.Name));
        Assert.Equal("status", commands[3].Target);
    }
}
