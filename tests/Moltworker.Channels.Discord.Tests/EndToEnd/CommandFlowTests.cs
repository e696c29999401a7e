using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Moltworker.Channels.Discord.Tests.EndToEnd;

/// <summary>Slash commands through real HTTP, the real kernel and SQLite inbox, answered via the in-test Discord.</summary>
public sealed class CommandFlowTests
{
    private static string Original(JsonObject interaction) => $"{Interactions.TokenOf(interaction)}/messages/@original";

    /// <summary>The edit of the original response whose content contains <paramref name="text"/> (progress edits come first).</summary>
    private static Task<Moltworker.Testing.Discord.RecordedRequest> EditAsync(DiscordHost host, JsonObject interaction, string text) =>
        host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", Original(interaction)) && r.Content.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task A_slow_tool_still_gets_its_deferred_response_at_once_then_the_result_edits_it()
    {
        await using var host = await DiscordHost.StartAsync();
        var interaction = Interactions.Command("slow_task");

        var clock = Stopwatch.StartNew();
        var response = await host.PostAsync(interaction);
        var elapsed = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var deferred = await DiscordHost.JsonAsync(response);
        Assert.True(deferred["type"]!.GetValue<int>() == 5, deferred.ToJsonString());
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"deferred after {elapsed}");

        // The tool is running and held: the final answer cannot have been written yet.
        await host.Gate.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(host.Discord.Rest.Where("PATCH", Original(interaction)), r => r.Content.Contains("slow task done", StringComparison.Ordinal));

        host.Gate.Release();
        var final = await EditAsync(host, interaction, "slow task done");
        Assert.DoesNotContain("flags", final.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_from_kernel_events_edits_the_deferred_response_while_the_tool_runs()
    {
        await using var host = await DiscordHost.StartAsync();
        var interaction = Interactions.Command("slow_task");
        await host.PostAsync(interaction);
        var progress = await EditAsync(host, interaction, "running `slow_task`");
        Assert.DoesNotContain("slow:end", host.Gate.Log);
        host.Gate.Release();
        var final = await EditAsync(host, interaction, "slow task done");
        Assert.True(final.Index > progress.Index);
    }

    [Fact]
    public async Task Options_become_tool_arguments_and_the_address_is_the_user_in_the_channel()
    {
        await using var host = await DiscordHost.StartAsync();
        var interaction = Interactions.Command("echo", new JsonObject { ["text"] = "hello" }, user: "u7", channel: "c9");
        await host.PostAsync(interaction);
        var edit = await EditAsync(host, interaction, "echo: hello");
        Assert.Contains("echo: hello (chat c9:u7, user u7)", edit.Content, StringComparison.Ordinal);
        Assert.Empty(edit.Json!["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public async Task Answers_over_2000_characters_overflow_into_follow_ups()
    {
        await using var host = await DiscordHost.StartAsync();
        var interaction = Interactions.Command("long_text", new JsonObject { ["lines"] = 60 });
        await host.PostAsync(interaction);
        await EditAsync(host, interaction, "Line 0001");
        // 60 lines of 71 characters: 4,259 characters, so the original plus two follow-ups.
        await host.Discord.Rest.WaitForAsync(r => r.Is("POST", $"webhooks/4242/{Interactions.TokenOf(interaction)}") && r.Body.Contains("Line 0060", StringComparison.Ordinal));
        var parts = host.Discord.Rest.Requests
            .Where(r => r.Path.Contains(Interactions.TokenOf(interaction), StringComparison.Ordinal) && r.Method is "PATCH" or "POST")
            .Select(r => r.Content).Where(c => !c.StartsWith('⏳')).ToList();
        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 2000));
        var all = string.Join('\n', parts);
        for (var i = 1; i <= 60; i++) Assert.Contains($"Line {i:D4}:", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_command_is_shown_only_to_the_caller()
    {
        await using var host = await DiscordHost.StartAsync();
        var interaction = Interactions.Command("fail");
        await host.PostAsync(interaction);
        var followUp = await host.Discord.Rest.WaitForAsync("POST", $"webhooks/4242/{Interactions.TokenOf(interaction)}");
        Assert.Equal(64, followUp.Json!["flags"]!.GetValue<int>());
        Assert.Contains("failed on purpose", followUp.Json!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(host.Discord.Rest.Where("DELETE", Original(interaction)));
    }

    [Fact]
    public async Task Commands_of_one_user_in_one_channel_run_in_order_while_others_proceed()
    {
        await using var host = await DiscordHost.StartAsync();
        var slow = Interactions.Command("slow_task", user: "a");
        var next = Interactions.Command("echo", new JsonObject { ["text"] = "a-second" }, user: "a");
        var other = Interactions.Command("echo", new JsonObject { ["text"] = "b" }, user: "b");
        await host.PostAsync(slow);
        await host.Gate.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        await host.PostAsync(next);
        await host.PostAsync(other);

        // User b is not held up by user a's slow command.
        await EditAsync(host, other, "echo: b");
        Assert.DoesNotContain("echo:a-second", host.Gate.Log);

        host.Gate.Release();
        await EditAsync(host, next, "echo: a-second");
        var log = host.Gate.Log.ToList();
        Assert.True(log.IndexOf("slow:end") < log.IndexOf("echo:a-second"), string.Join(", ", log));
    }

    [Fact]
    public async Task The_same_interaction_delivered_twice_runs_once()
    {
        await using var host = await DiscordHost.StartAsync();
        var interaction = Interactions.Command("echo", new JsonObject { ["text"] = "once" });
        Assert.Equal(5, (await DiscordHost.JsonAsync(await host.PostAsync(interaction)))["type"]!.GetValue<int>());
        Assert.Equal(5, (await DiscordHost.JsonAsync(await host.PostAsync(interaction)))["type"]!.GetValue<int>());
        var barrier = Interactions.Command("echo", new JsonObject { ["text"] = "barrier" });
        await host.PostAsync(barrier);
        await EditAsync(host, barrier, "echo: barrier");
        Assert.Equal(["echo:once", "echo:barrier"], host.Gate.Log);
    }

    [Fact]
    public async Task Reset_and_status_are_answered()
    {
        await using var host = await DiscordHost.StartAsync();
        var reset = Interactions.Command("reset");
        var status = Interactions.Command("status");
        await host.PostAsync(reset);
        await host.PostAsync(status);
        await EditAsync(host, reset, "Conversation reset");
        var s = await host.Discord.Rest.WaitForAsync(r => r.Path.Contains(Interactions.TokenOf(status), StringComparison.Ordinal) && r.Method != "DELETE");
        Assert.False(string.IsNullOrWhiteSpace(s.Json!["content"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Autocomplete_offers_the_tools_suggestions()
    {
        await using var host = await DiscordHost.StartAsync();
        var interaction = Interactions.Command("get_weather", new JsonObject { ["days"] = 2, ["city"] = "Ber" }, type: 4, focused: "city");
        var answer = await DiscordHost.JsonAsync(await host.PostAsync(interaction));
        Assert.Equal(8, answer["type"]!.GetValue<int>());
        var names = answer["data"]!["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>()).ToList();
        Assert.Equal(["Berlin", "Bern", "Bergen"], names);
    }

    [Fact]
    public async Task Commands_are_registered_at_start()
    {
        await using var host = await DiscordHost.StartAsync();
        var put = await host.Discord.Rest.WaitForAsync("PUT", "applications/4242/commands");
        Assert.Contains(put.Json!.AsArray(), c => c!["name"]!.GetValue<string>() == "slow_task");
    }
}
