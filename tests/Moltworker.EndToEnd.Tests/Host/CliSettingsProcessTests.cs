using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Host;

/// <summary>Settings given after a verb as <c>--Section:Key value</c> (space-separated) reach the configuration, through
/// the built host's command line, without taking the verbs' own options or arguments.</summary>
public sealed class CliSettingsProcessTests
{
    private static Dictionary<string, string> Environment(TempFolder folder) => new()
    {
        ["Moltworker__Llm__BaseUrl"] = "",
        ["Moltworker__Llm__Model"] = "",
        ["Moltworker__Llm__ApiKey"] = "",
        ["Moltworker__DataDirectory"] = folder.Sub("data"),
        ["Moltworker__Plugins__Directory"] = folder.Sub("plugins"),
    };

    [Theory]
    [InlineData("--Moltworker:Plugins:Directory")]
    [InlineData("--Moltworker__Plugins__Directory")]
    public async Task Plugins_list_reads_a_space_separated_setting_after_the_verb(string key)
    {
        using var folder = new TempFolder();
        var other = folder.Sub("other-plugins");
        TestArtifacts.DropFile("sample-1", TestArtifacts.SampleAssembly, other);

        var result = await HostProcess.RunAsync(["plugins", "list", key, other], Environment(folder), folder.Path);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}; stdout: {result.Stdout}; stderr: {result.Stderr}");
        Assert.Contains("Sample (drop-in:Moltworker.Plugins.Sample.dll): sample_greet, sample_word_count", result.Stdout);
    }

    [Fact]
    public async Task Ask_takes_space_separated_model_settings_and_keeps_its_own_chat_option()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("Hello."), ScriptedReply.Answer("Again."));
        using var folder = new TempFolder();
        var env = Environment(folder);
        string[] model = ["--Moltworker:Llm:BaseUrl", server.BaseUrl, "--Moltworker__Llm__Model", "test-model", "--Moltworker:Llm:ApiKey", "sk-test"];

        var first = await HostProcess.RunAsync(["ask", model[0], model[1], "--chat", "c1", "first question", .. model[2..]], env, folder.Path);
        var second = await HostProcess.RunAsync(["ask", .. model, "--chat", "c1", "second question"], env, folder.Path);

        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}; stdout: {first.Stdout}; stderr: {first.Stderr}");
        Assert.Equal("Hello.", first.Stdout.Trim());
        Assert.Equal("Again.", second.Stdout.Trim());
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal("test-model", requests[0].Model);
        Assert.Equal("Bearer sk-test", requests[0].Authorization);
        Assert.Equal("first question", requests[0].LastUserText);
        Assert.Equal("second question", requests[1].LastUserText);
        // --chat c1 was the verb's option both times: the second ask saw the first one's history.
        Assert.Contains(requests[1].Messages, m => m.Role == "user" && m.Content == "first question");
    }

    [Fact]
    public async Task Ingest_does_not_take_a_settings_value_for_a_path()
    {
        using var folder = new TempFolder();
        var docs = folder.Sub("docs");
        File.WriteAllText(Path.Combine(docs, "note.md"), "# Note\n\nThe boiler is serviced every October.\n");
        var data = Path.Combine(folder.Path, "data-from-the-command-line");

        var result = await HostProcess.RunAsync(["ingest", docs, "--Moltworker:DataDirectory", data, "--prune"], Environment(folder), folder.Path);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}; stdout: {result.Stdout}; stderr: {result.Stderr}");
        Assert.DoesNotContain("data-from-the-command-line", result.Stderr); // not ingested as a (missing) path
        Assert.NotEmpty(Directory.GetFiles(data));                         // the setting chose the data folder
    }

    [Fact]
    public async Task A_setting_without_a_value_exits_1_and_says_so()
    {
        using var folder = new TempFolder();

        var result = await HostProcess.RunAsync(["plugins", "list", "--Moltworker:Plugins:Directory"], Environment(folder), folder.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--Moltworker:Plugins:Directory needs a value", result.Stderr);
    }
}
