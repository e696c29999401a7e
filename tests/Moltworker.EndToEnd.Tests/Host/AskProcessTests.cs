using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Host;

/// <summary><c>dotnet moltworker.dll ask "…"</c> and <c>plugins list</c>: the built host as a process, the model
/// configured by environment variables and played by the in-test OpenAI-compatible server.</summary>
public sealed class AskProcessTests
{
    private static Dictionary<string, string> Environment(TempFolder folder, string? baseUrl, string apiKey = "sk-test") => new()
    {
        ["Moltworker__Llm__BaseUrl"] = baseUrl ?? "",
        ["Moltworker__Llm__Model"] = baseUrl is null ? "" : "test-model",
        ["Moltworker__Llm__ApiKey"] = baseUrl is null ? "" : apiKey,
        ["Moltworker__DataDirectory"] = folder.Sub("data"),
        ["Moltworker__Plugins__Directory"] = folder.Sub("plugins"),
    };

    [Fact]
    public async Task Ask_runs_one_turn_with_a_tool_call_and_prints_the_answer()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(
            ScriptedReply.Call("sample_word_count", """{"text":"one two three"}"""),
            ScriptedReply.Answer("The text has 3 words."));
        using var folder = new TempFolder();
        var env = Environment(folder, server.BaseUrl);
        TestArtifacts.DropFolder("sample-1", TestArtifacts.SampleAssembly, env["Moltworker__Plugins__Directory"]);

        var result = await HostProcess.RunAsync(["ask", "How many words are in 'one two three'?"], env, folder.Path);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}; stderr: {result.Stderr}");
        Assert.Equal("The text has 3 words.", result.Stdout.Trim());
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal("Bearer sk-test", requests[0].Authorization);
        Assert.Equal("test-model", requests[0].Model);
        Assert.Contains("sample_word_count", requests[0].ToolNames);
        Assert.Equal("How many words are in 'one two three'?", requests[0].LastUserText);
        var toolResult = Assert.Single(requests[1].Messages, m => m.Role == "tool");
        Assert.Contains("\"words\":3", toolResult.Content);
    }

    [Fact]
    public async Task Ask_exits_non_zero_with_a_clear_message_when_the_key_is_refused()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(401));
        using var folder = new TempFolder();

        var result = await HostProcess.RunAsync(["ask", "hello"], Environment(folder, server.BaseUrl, "sk-wrong"), folder.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Stdout.Trim());
        Assert.Contains("401", result.Stderr);
        Assert.Contains("Moltworker:Llm:ApiKey", result.Stderr);
        Assert.DoesNotContain("sk-wrong", result.Stderr);
        Assert.Equal(1, server.RequestCount); // a refused key is not retried
    }

    [Fact]
    public async Task Plugins_list_reports_loaded_and_failed_plugins_and_exits_2_on_failures()
    {
        using var folder = new TempFolder();
        var env = Environment(folder, null);
        var plugins = env["Moltworker__Plugins__Directory"];
        TestArtifacts.DropFile("sample-1", TestArtifacts.SampleAssembly, plugins);
        File.WriteAllText(Path.Combine(plugins, "Broken.dll"), "this is not an assembly");

        var result = await HostProcess.RunAsync(["plugins", "list", "--Moltworker:Plugins:Sample:Greeting=Howdy"], env, folder.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Sample (drop-in:Moltworker.Plugins.Sample.dll): sample_greet, sample_word_count", result.Stdout);
        Assert.Contains("Broken (drop-in:Broken.dll) FAILED: not a .NET assembly", result.Stdout);
    }
}
