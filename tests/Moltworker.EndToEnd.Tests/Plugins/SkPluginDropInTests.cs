using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;
using static Moltworker.EndToEnd.Tests.Hosting.TestArtifacts;

namespace Moltworker.EndToEnd.Tests.Plugins;

/// <summary>
/// An existing Semantic Kernel plugin (tests/Moltworker.TestPlugins.SkOnly, referencing only
/// Microsoft.SemanticKernel.Abstractions) dropped into a running host: loaded, called by the model (with the SK filter
/// the assembly exports around the call), reloaded, gone.
/// </summary>
public sealed class SkPluginDropInTests
{
    private const string SkOnlyAssembly = "Moltworker.TestPlugins.SkOnly";

    [Fact]
    public async Task A_plain_SK_plugin_is_loaded_called_reloaded_and_removed_while_the_host_runs()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Responder = request => request.Messages.Count > 0 && request.Messages[^1].Role == "tool"
            ? ScriptedReply.Answer(request.Messages[^1].Content ?? "")
            : ScriptedReply.Call("km_to_miles", """{"km":10}""");
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test"]);
        Assert.DoesNotContain("Units", (await host.PluginsAsync()).Loaded);

        DropFolder("skonly-1", SkOnlyAssembly, host.PluginsDir);
        await host.EventuallyAsync(async () => (await host.PluginsAsync()).Loaded, l => l.Contains("Units"), "the SK plugin to load");
        var first = await host.ChatAsync("How far is 10 km in miles?");
        Assert.False(first.IsError, first.Text);
        Assert.Contains("10 km = 6.214 miles (edition 1) [checked]", first.Text); // the plugin's own SK filter ran around it

        DropFolder("skonly-2", SkOnlyAssembly, host.PluginsDir);
        var second = await host.EventuallyAsync(() => host.ChatAsync("And now?"), a => a.Text.Contains("edition 2"), "edition 2 to replace edition 1");
        Assert.Contains("10 km = 6.214 miles (edition 2)", second.Text);
        Assert.Equal("2.0.0.0", await host.PluginVersionAsync("Units"));

        Directory.Delete(Path.Combine(host.PluginsDir, SkOnlyAssembly), recursive: true);
        await host.EventuallyAsync(async () => (await host.PluginsAsync()).Loaded, l => !l.Contains("Units"), "the SK plugin to unload");
        var after = await host.ChatAsync("Once more?");
        Assert.Contains("unknown tool 'km_to_miles'", after.Text);
    }
}
