using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Moltworker.Channels.Discord.Commands;
using Moltworker.Channels.Discord.Tests.EndToEnd;
using DiscordInteractions = Moltworker.Channels.Discord.Tests.EndToEnd.Interactions;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Channels.Discord.Tests.Schedules;

/// <summary>/schedule on Discord: a slash command with one text option, run by the kernel's /schedule.</summary>
public sealed class ScheduleSlashCommandTests
{
    [Fact]
    public void The_schedule_built_in_becomes_a_slash_command_with_one_optional_text_option()
    {
        var commands = SlashCommandBuilder.Build([new ChatCommand("help", "Help"), new ChatCommand("schedule", "List, add or remove this chat's scheduled runs")]);
        var schedule = Assert.Single(commands, c => c.Name == "schedule");
        Assert.Equal(SlashCommandKind.BuiltIn, schedule.Kind);
        var option = Assert.Single(schedule.Options);
        Assert.Equal(("arguments", DiscordOptionType.String, false), (option.Name, option.Type, option.Required));
        Assert.DoesNotContain(commands, c => c.Name == "help");
    }

    [Fact]
    public async Task Schedule_adds_and_lists_through_the_interaction_endpoint()
    {
        await using var host = await DiscordHost.StartAsync(configure: s => s.AddSchedules(new ConfigurationBuilder().Build()));
        var add = DiscordInteractions.Command("schedule", new JsonObject { ["arguments"] = "add \"every 2h\" /echo hi" }, user: "u7", channel: "c9");
        await host.PostAsync(add);
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{DiscordInteractions.TokenOf(add)}/messages/@original") && r.Content.Contains("Scheduled: ", StringComparison.Ordinal));

        var list = DiscordInteractions.Command("schedule", user: "u7", channel: "c9");
        await host.PostAsync(list);
        var listed = await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{DiscordInteractions.TokenOf(list)}/messages/@original") && r.Content.Contains("Schedules (1)", StringComparison.Ordinal));
        Assert.Contains("every 2h · /echo hi", listed.Content, StringComparison.Ordinal);
    }
}
