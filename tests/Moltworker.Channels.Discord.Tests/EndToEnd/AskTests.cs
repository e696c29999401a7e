using System.Text.Json.Nodes;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Channels.Discord.Tests.EndToEnd;

/// <summary>/ask runs a turn with the agent through the in-test OpenAI server; the model's tool calls show as progress.</summary>
public sealed class AskTests
{
    [Fact]
    public async Task Ask_runs_a_model_turn_with_a_tool_call_and_edits_the_answer_in()
    {
        await using var openai = await FakeOpenAIServer.StartAsync();
        openai.Enqueue(ScriptedReply.Call("slow_task", "{}"), ScriptedReply.Answer("The slow task is done."));
        await using var host = await DiscordHost.StartAsync(new()
        {
            ["Moltworker:Llm:BaseUrl"] = openai.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = "test-key",
            ["Moltworker:Llm:Model"] = "gpt-4o-mini",
        });
        var interaction = Interactions.Command("ask", new JsonObject { ["prompt"] = "Please run the slow task" });
        Assert.Equal(5, (await DiscordHost.JsonAsync(await host.PostAsync(interaction)))["type"]!.GetValue<int>());

        // The tool waits at the gate until its progress edit was sent: a turn that ended first would drop it.
        var original = $"{Interactions.TokenOf(interaction)}/messages/@original";
        await host.Gate.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", original) && r.Content.Contains("running `slow_task`", StringComparison.Ordinal));
        host.Gate.Release();
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", original) && r.Content.Contains("The slow task is done.", StringComparison.Ordinal));
        Assert.Equal(["slow:start", "slow:end"], host.Gate.Log);
        Assert.Equal("Please run the slow task", openai.Requests[0].LastUserText);
    }
}
