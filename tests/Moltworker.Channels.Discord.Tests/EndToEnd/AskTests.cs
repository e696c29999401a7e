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
        openai.Enqueue(ScriptedReply.Call("echo", """{"text":"from the model"}"""), ScriptedReply.Answer("The echo tool said: from the model."));
        await using var host = await DiscordHost.StartAsync(new()
        {
            ["Moltworker:Llm:BaseUrl"] = openai.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = "test-key",
            ["Moltworker:Llm:Model"] = "gpt-4o-mini",
        });
        var interaction = Interactions.Command("ask", new JsonObject { ["prompt"] = "Please echo something" });
        Assert.Equal(5, (await DiscordHost.JsonAsync(await host.PostAsync(interaction)))["type"]!.GetValue<int>());

        var original = $"{Interactions.TokenOf(interaction)}/messages/@original";
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", original) && r.Content.Contains("The echo tool said: from the model.", StringComparison.Ordinal));
        Assert.Contains(host.Discord.Rest.Where("PATCH", original), r => r.Content.Contains("running `echo`", StringComparison.Ordinal));
        Assert.Equal(["echo:from the model"], host.Gate.Log);
        Assert.Equal("Please echo something", openai.Requests[0].LastUserText);
    }
}
