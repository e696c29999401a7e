using Moltworker.Channels.Discord.Commands;

namespace Moltworker.Channels.Discord.Tests.Commands;

public sealed class CommandTextTests
{
    [Theory]
    [InlineData("get_weather", "get_weather")]
    [InlineData("getWeather", "get_weather")]
    [InlineData("Get Weather!", "get_weather")]
    [InlineData("get-weather", "get-weather")]
    [InlineData("HTTPFetch2", "httpfetch2")]
    [InlineData("convertCurrencyAmountsBetweenDifferentCountriesQuickly", "convert_currency_amounts_between")]
    [InlineData("***", "command")]
    [InlineData("wetter_für_städte", "wetter_für_städte")]
    public void Names_follow_discords_rules(string input, string expected)
    {
        var name = CommandText.NormalizeName(input);
        Assert.Equal(expected, name);
        Assert.InRange(name.Length, 1, 32);
        Assert.Equal(name.ToLowerInvariant(), name);
    }

    [Fact]
    public void Colliding_names_get_a_suffix_within_32_characters()
    {
        var taken = new HashSet<string>();
        Assert.Equal("status", CommandText.Unique("status", taken));
        Assert.Equal("status_2", CommandText.Unique("status", taken));
        var longName = new string('a', 32);
        Assert.Equal(longName, CommandText.Unique(longName, taken));
        var second = CommandText.Unique(longName, taken);
        Assert.Equal(32, second.Length);
        Assert.EndsWith("_2", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Descriptions_are_trimmed_to_100_and_never_empty()
    {
        var d = CommandText.Description(new string('x', 150), "fallback");
        Assert.Equal(100, d.Length);
        Assert.EndsWith("…", d, StringComparison.Ordinal);
        Assert.Equal("fallback", CommandText.Description("  ", "fallback"));
        Assert.Equal("a b", CommandText.Description("a\n  b", "f"));
    }
}
