using Moltworker.Channels.Discord.Commands;
using Moltworker.Channels.Discord.Interactions;
using Moltworker.Channels.Discord.Tests.Support;

namespace Moltworker.Channels.Discord.Tests.Interactions;

public sealed class InteractionParsingTests
{
    [Fact]
    public void A_guild_command_gives_user_roles_channel_and_options()
    {
        var json = EndToEnd.Interactions.Command("get_weather", new() { ["city"] = "Bern", ["days"] = 3, ["hourly"] = true }, user: "u1", channel: "c1", guild: "g1", roles: ["r1"]).ToJsonString();
        Assert.True(Interaction.TryParse(json, out var i, out _));
        Assert.Equal(("u1", "c1", "g1"), (i!.UserId, i.ChannelId, i.GuildId));
        Assert.Equal(["r1"], i.RoleIds);
        Assert.Equal("get_weather", i.CommandName);

        var command = SlashCommandBuilder.Build(ToolFunctions.Catalog(new SampleToolsPlugin())).Single(c => c.Name == "get_weather");
        var args = ArgumentConverter.Convert(command, i.Options);
        Assert.Equal("Bern", args["city"]);
        Assert.Equal(3L, args["days"]);
        Assert.Equal(true, args["hourly"]);
    }

    [Fact]
    public void A_dm_command_takes_the_user_from_the_top_level()
    {
        var json = EndToEnd.Interactions.Command("status", guild: null, user: "dm-user").ToJsonString();
        Assert.True(Interaction.TryParse(json, out var i, out _));
        Assert.Equal("dm-user", i!.UserId);
        Assert.Null(i.GuildId);
        Assert.Equal("c1:dm-user", DiscordAddress.Of(i).ChatId);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("\"text\"")]
    [InlineData("""{"id":"1","token":"t"}""")]
    [InlineData("""{"id":"1","type":2,"token":"t","data":{"name":"x"}}""")]
    [InlineData("""{"id":"1","type":2,"token":"t","member":{"user":{"id":"u"}},"data":{}}""")]
    [InlineData("""{"id":"1","type":2,"token":"t","member":{"user":{"id":"u"}},"data":{"name":"x","options":[1]}}""")]
    public void Malformed_payloads_are_rejected_with_a_reason(string json)
    {
        Assert.False(Interaction.TryParse(json, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
