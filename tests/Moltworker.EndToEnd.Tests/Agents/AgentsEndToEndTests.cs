using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Agents;

/// <summary>Agents through the real host: HTTP chat, /healthz, /agent, the CLI, with the in-test OpenAI-compatible
/// server as the model. The script answers by the system prompt of each request.</summary>
public sealed class AgentsEndToEndTests
{
    private static string Prompts(TempFolder folder, string? broken = null)
    {
        var prompts = folder.Sub("prompts");
        Directory.CreateDirectory(Path.Combine(prompts, "agents"));
        File.WriteAllText(Path.Combine(prompts, "agents", "default.md"), "---\ndescription: \"Main.\"\nphases: [work]\ndelegates_to: [reviewer]\n---\nYou are MAIN.");
        File.WriteAllText(Path.Combine(prompts, "agents", "reviewer.md"), "---\ndescription: \"Checks answers.\"\ntools: []\n---\nYou are REVIEWER.");
        if (broken is not null) File.WriteAllText(Path.Combine(prompts, "agents", "broken.md"), broken);
        return prompts;
    }

    private static string System(ChatRequest request) => request.Messages.First(m => m.Role == "system").Content ?? "";

    [Fact]
    public async Task The_default_agent_asks_the_reviewer_over_http_and_gets_its_answer_as_the_result()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Responder = request => (System(request).Contains("You are REVIEWER"), request.Messages.Any(m => m.Role == "tool")) switch
        {
            (false, false) => ScriptedReply.Call("ask_reviewer", """{"message":"Is 2+2=4 right?"}""", "d1"),
            (false, true) => ScriptedReply.Answer("Reviewed: " + request.Messages.Last(m => m.Role == "tool").Content),
            (true, _) => ScriptedReply.Answer("OK, it holds."),
        };
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={server.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test", $"--Moltworker:Prompts:Directory={Prompts(folder)}"],
            folder: folder);

        var answer = await host.ChatAsync("what is 2+2?");

        Assert.False(answer.IsError, answer.Text);
        Assert.Equal("Reviewed: OK, it holds.", answer.Text);
        var reviewer = Assert.Single(server.Requests, r => System(r).Contains("You are REVIEWER"));
        Assert.Equal(["system", "user"], reviewer.Messages.Select(m => m.Role));
        Assert.Equal("Is 2+2=4 right?", reviewer.LastUserText);
        Assert.Empty(reviewer.ToolNames); // tools: []
        Assert.Contains("ask_reviewer", server.Requests[0].ToolNames);
    }

    [Fact]
    public async Task A_bad_agent_file_shows_in_healthz_by_line_and_the_chat_switches_agent_with_slash_agent()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Responder = request => ScriptedReply.Answer(System(request).Contains("You are REVIEWER") ? "from reviewer" : "from main");
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={server.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test",
             $"--Moltworker:Prompts:Directory={Prompts(folder, broken: "---\ndescription: Plain chat: one work phase.\n---\nBody")}"],
            folder: folder);

        var (status, health) = await host.HealthAsync();
        Assert.Equal(200, status);
        var agents = health.GetProperty("agents");
        var failed = Assert.Single(agents.GetProperty("failed").EnumerateArray());
        Assert.Equal("broken", failed.GetProperty("name").GetString());
        Assert.Equal(2, failed.GetProperty("line").GetInt32());

        Assert.Equal("from main", (await host.ChatAsync("hi", "c1")).Text);
        var listed = await host.ChatAsync("/agents", "c1");
        Assert.Contains("reviewer", listed.Text);
        Assert.Contains("Checks answers.", listed.Text);
        Assert.False((await host.ChatAsync("/agent reviewer", "c1")).IsError);
        Assert.Equal("from reviewer", (await host.ChatAsync("hi", "c1")).Text);
        Assert.Equal("from main", (await host.ChatAsync("hi", "c2")).Text); // per chat
        Assert.True((await host.ChatAsync("/agent nobody", "c1")).IsError);
    }

    [Fact]
    public async Task Agents_list_and_ask_with_an_agent_from_the_command_line()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Responder = request => ScriptedReply.Answer(System(request).Contains("You are REVIEWER") ? "from reviewer" : "from main");
        using var folder = new TempFolder();
        var env = new Dictionary<string, string>
        {
            ["Moltworker__Llm__BaseUrl"] = server.BaseUrl,
            ["Moltworker__Llm__Model"] = "test-model",
            ["Moltworker__Llm__ApiKey"] = "sk-test",
            ["Moltworker__DataDirectory"] = folder.Sub("data"),
            ["Moltworker__Plugins__Directory"] = folder.Sub("plugins"),
            ["Moltworker__Prompts__Directory"] = Prompts(folder, broken: "---\nmax_depth: deep\n---\nBody"),
        };

        var list = await HostProcess.RunAsync(["agents", "list"], env, folder.Path);
        Assert.Equal(2, list.ExitCode);
        Assert.Contains("default: Main. Asks: reviewer.", list.Stdout);
        Assert.Contains("reviewer: Checks answers.", list.Stdout);
        Assert.Contains("broken.md:2: 'max_depth' must be a whole number", list.Stdout);

        var ask = await HostProcess.RunAsync(["ask", "--agent", "reviewer", "check this"], env, folder.Path);
        Assert.True(ask.ExitCode == 0, ask.Stderr);
        Assert.Equal("from reviewer", ask.Stdout.Trim());

        var unknown = await HostProcess.RunAsync(["ask", "--agent", "nobody", "hi"], env, folder.Path);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("there is no agent 'nobody'", unknown.Stderr);
    }
}
