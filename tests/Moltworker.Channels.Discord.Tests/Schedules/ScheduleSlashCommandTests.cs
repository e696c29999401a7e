using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Discord.Commands;
using Moltworker.Channels.Discord.Tests.EndToEnd;
using DiscordInteractions = Moltworker.Channels.Discord.Tests.EndToEnd.Interactions;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;
using Moltworker.Testing.Discord;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Discord.Tests.Schedules;

/// <summary>/schedule on Discord: a slash command with one text option, run by the kernel's /schedule; a run's answer is
/// posted in the chat's channel (or the user's DM channel).</summary>
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
    public async Task Schedule_adds_lists_pauses_and_resumes_through_the_interaction_endpoint()
    {
        await using var host = await DiscordHost.StartAsync(configure: s => s.AddSchedules(new ConfigurationBuilder().Build()));
        var add = DiscordInteractions.Command("schedule", new JsonObject { ["arguments"] = "add \"every 2h\" /echo hi" }, user: "u7", channel: "c9");
        await host.PostAsync(add);
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{DiscordInteractions.TokenOf(add)}/messages/@original") && r.Content.Contains("Scheduled: ", StringComparison.Ordinal));

        var list = DiscordInteractions.Command("schedule", user: "u7", channel: "c9");
        await host.PostAsync(list);
        var listed = await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{DiscordInteractions.TokenOf(list)}/messages/@original") && r.Content.Contains("Schedules (1)", StringComparison.Ordinal));
        Assert.Contains("every 2h · /echo hi", listed.Content, StringComparison.Ordinal);

        var id = Assert.Single(await host.Services.GetRequiredService<ScheduleService>().ListAsync(null, default)).Id;
        var pause = DiscordInteractions.Command("schedule", new JsonObject { ["arguments"] = $"pause {id}" }, user: "u7", channel: "c9");
        await host.PostAsync(pause);
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{DiscordInteractions.TokenOf(pause)}/messages/@original") && r.Content.Contains($"Paused: {id}", StringComparison.Ordinal));
        Assert.True((await host.Services.GetRequiredService<ScheduleService>().FindAsync(id, null, default))!.IsPaused);

        var resume = DiscordInteractions.Command("schedule", new JsonObject { ["arguments"] = $"resume {id}" }, user: "u7", channel: "c9");
        await host.PostAsync(resume);
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{DiscordInteractions.TokenOf(resume)}/messages/@original") && r.Content.Contains($"Resumed: {id}", StringComparison.Ordinal));
        Assert.False((await host.Services.GetRequiredService<ScheduleService>().FindAsync(id, null, default))!.IsPaused);
    }

    [Fact]
    public async Task A_scheduled_run_is_posted_in_its_channel_and_in_a_direct_message()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        await using var host = await DiscordHost.StartAsync(configure: s => s.AddSingleton<TimeProvider>(time).AddSchedules(new ConfigurationBuilder().Build()));
        host.Discord.Rest.Enqueue("POST", "channels/c9/messages", new FakeResponse(200, """{"id":"m1"}"""));
        host.Discord.Rest.Enqueue("POST", "users/@me/channels", new FakeResponse(200, """{"id":"d55"}"""));
        host.Discord.Rest.Enqueue("POST", "channels/d55/messages", new FakeResponse(200, """{"id":"m2"}"""));
        var schedules = host.Services.GetRequiredService<ScheduleService>();
        await schedules.AddAsync(new ChatAddress("discord", "c9:u7", "u7"), "in 5 minutes", null, "/echo in the channel", default);
        await schedules.AddAsync(new ChatAddress("discord", "dm:u8", "u8"), "in 5 minutes", null, "/echo in private", default);

        await host.Services.GetRequiredService<Scheduler>().Asleep.WaitAsync(TimeSpan.FromSeconds(30));
        var posted = host.Discord.Rest.WaitForAsync("POST", "channels/c9/messages", TimeSpan.FromSeconds(60));
        time.Advance(TimeSpan.FromMinutes(5));
        // On a loaded machine a pass of the scheduler can fail on the store and wait 5 s of its clock to try again:
        // let that time pass too (the run itself is what this test is about).
        for (var retries = 0; retries < 3 && !posted.IsCompleted; retries++)
        {
            var retryTimer = time.WaitForTimerAsync(TimeSpan.FromSeconds(5));
            if (await Task.WhenAny(posted, retryTimer) == retryTimer && retryTimer.IsCompletedSuccessfully) time.Advance(TimeSpan.FromSeconds(5));
        }

        var inChannel = await posted;
        Assert.Contains("echo: in the channel", inChannel.Body, StringComparison.Ordinal);
        Assert.Contains("\"allowed_mentions\":{\"parse\":[]}", inChannel.Body, StringComparison.Ordinal);
        var opened = await host.Discord.Rest.WaitForAsync("POST", "users/@me/channels", TimeSpan.FromSeconds(60));
        Assert.Contains("\"recipient_id\":\"u8\"", opened.Body, StringComparison.Ordinal);
        var inPrivate = await host.Discord.Rest.WaitForAsync("POST", "channels/d55/messages", TimeSpan.FromSeconds(60));
        Assert.Contains("echo: in private", inPrivate.Body, StringComparison.Ordinal);
    }
}
