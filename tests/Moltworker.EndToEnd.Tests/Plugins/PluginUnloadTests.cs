using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Kernel.Plugins.Loading;
using Moltworker.Testing.OpenAI;
using static Moltworker.EndToEnd.Tests.Hosting.TestArtifacts;

namespace Moltworker.EndToEnd.Tests.Plugins;

/// <summary>A removed plugin's load context is actually freed: nothing in the host keeps the old code alive.</summary>
public sealed class PluginUnloadTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Removed_plugin_load_context_is_collected_after_its_tools_were_used(int use)
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Enqueue(ScriptedReply.Call("sample_word_count", """{"text":"two words"}"""), ScriptedReply.Answer("Two."));
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test"],
            dir => DropFolder("sample-1", SampleAssembly, dir));
        await host.EventuallyAsync(async () => (await host.PluginsAsync()).Loaded, l => l.Count == 1, "load");
        if (use >= 1) Assert.StartsWith("Hello, Ada!", (await host.ChatAsync("/greet Ada")).Text);
        if (use >= 2)
        {
            Assert.Equal("Two.", (await host.ChatAsync("How many words?")).Text);
            Assert.Contains("\"words\":2", model.Requests[1].Messages.Single(m => m.Role == "tool").Content);
        }
        var context = ContextOf(host.Services);

        Directory.Delete(Path.Combine(host.PluginsDir, SampleAssembly), recursive: true);
        await host.EventuallyAsync(async () => (await host.PluginsAsync()).Loaded, l => l.Count == 0, "the sample plugin to unload");

        // Unloading takes a few collections (the runtime frees a context's loader in stages); allow up to 10 s.
        for (var i = 0; i < 200 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(50);
        }
        Assert.False(context.IsAlive, "the unloaded plugin's AssemblyLoadContext is still referenced");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ContextOf(IServiceProvider services) =>
        services.GetRequiredService<PluginDirectorySource>().Loaded.Single().Context!;
}
