using Microsoft.Extensions.AI;
using Moltworker.Channels.Telegram.Commands;
using Moltworker.Kernel.Commands;

namespace Moltworker.Channels.Telegram.Tests.Commands;

public class CommandNamesTests
{
    [Theory]
    [InlineData("web_fetch", "web_fetch")]
    [InlineData("Web.Fetch-Page", "web_fetch_page")]
    [InlineData("getWeather", "get_weather")]
    [InlineData("/Café au lait", "cafe_au_lait")]
    [InlineData("__x__", "x")]
    [InlineData("日本", null)]
    [InlineData("a_very_long_tool_name_that_goes_beyond_thirty_two", "a_very_long_tool_name_that_goes")]
    public void Normalizes_to_telegram_rules(string input, string? expected) => Assert.Equal(expected, CommandNames.Normalize(input));

    [Fact]
    public void Map_keeps_built_ins_first_makes_names_unique_and_caps_at_100()
    {
        var commands = new List<ChatCommand> { new("start", "Start"), new("help", "") };
        commands.AddRange(Enumerable.Range(0, 150).Select(i => new ChatCommand(i < 2 ? "Dup-Name" : $"tool.{i}", new string('d', 300),
            AIFunctionFactory.Create(() => "x", $"tool{i}"))));
        var map = new CommandMap(commands);
        Assert.Equal(100, map.Commands.Count);
        Assert.Equal("start", map.Commands[0].Command);
        Assert.Equal("help", map.Commands[1].Description);
        Assert.Equal("dup_name", map.Commands[2].Command);
        Assert.Equal("dup_name_2", map.Commands[3].Command);
        Assert.Equal("Dup-Name", map.ToKernelName("dup_name_2"));
        Assert.Equal("tool.5", map.ToKernelName("tool_5"));
        Assert.All(map.Commands, c => Assert.Matches("^[a-z0-9_]{1,32}$", c.Command));
        Assert.All(map.Commands, c => Assert.InRange(c.Description.Length, 1, 256));
        Assert.Equal(map.Commands.Count, map.Commands.Select(c => c.Command).Distinct().Count());
    }
}
