using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Host;

/// <summary>Prompts are files: change one while the host runs and the next turn uses the new text.</summary>
public sealed class PromptReloadTests
{
    [Fact]
    public async Task Changed_system_prompt_is_used_by_the_next_turn()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Responder = _ => ScriptedReply.Answer("ok");
        var folder = new TempFolder();
        var prompts = folder.Sub("prompts");
        Directory.CreateDirectory(Path.Combine(prompts, "agents"));
        File.WriteAllText(Path.Combine(prompts, "agents", "default.md"), "---\nphases: [work]\n---\n");
        var system = Path.Combine(prompts, "system.md");
        File.WriteAllText(system, "---\ndescription: test\n---\nYou are ALPHA, a test assistant.\n");

        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={server.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test", $"--Moltworker:Prompts:Directory={prompts}"],
            folder: folder);

        var first = await host.ChatAsync("hi");
        Assert.False(first.IsError, first.Text);
        Assert.Equal("ok", first.Text);
        Assert.Contains("You are ALPHA", SystemPromptOf(server.Requests[^1]));

        File.WriteAllText(system, "---\ndescription: test\n---\nYou are BETA, the changed assistant.\n");
        var prompt = await host.EventuallyAsync(async () =>
        {
            await host.ChatAsync("hi again");
            return SystemPromptOf(server.Requests[^1]);
        }, p => p.Contains("You are BETA"), "the changed system prompt to be used");
        Assert.DoesNotContain("ALPHA", prompt);
    }

    private static string SystemPromptOf(ChatRequest request) => request.Messages.First(m => m.Role == "system").Content ?? "";
}
