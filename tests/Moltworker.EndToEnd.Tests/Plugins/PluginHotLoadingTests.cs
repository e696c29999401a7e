using Moltworker.EndToEnd.Tests.Hosting;
using static Moltworker.EndToEnd.Tests.Hosting.TestArtifacts;

namespace Moltworker.EndToEnd.Tests.Plugins;

/// <summary>The drop-in folder of a running host, over HTTP: load, call, replace, delete; bad plugins reported.</summary>
public sealed class PluginHotLoadingTests
{
    [Fact]
    public async Task Sample_plugin_is_loaded_replaced_and_removed_while_the_host_runs()
    {
        await using var host = await RunningHost.StartAsync();

        var before = await host.ChatAsync("/greet Ada");
        Assert.True(before.IsError);
        Assert.Contains("Unknown command /greet", before.Text);

        // Drop the built sample in: its /greet command appears without a restart.
        DropFolder("sample-1", SampleAssembly, host.PluginsDir);
        var first = await host.EventuallyAsync(() => host.ChatAsync("/greet Ada"), a => !a.IsError, "the sample plugin to load");
        Assert.StartsWith("Hello, Ada!", first.Text);
        Assert.Contains("edition 1", first.Text);
        var (loaded, failed) = await host.PluginsAsync();
        Assert.Contains("Sample", loaded);
        Assert.Empty(failed);
        var plugins = await host.ChatAsync("/plugins");
        Assert.Contains("Sample", plugins.Text);
        Assert.Contains("sample_word_count", plugins.Text);

        // Overwrite the files in place with edition 2: the next call runs the new code.
        DropFolder("sample-2", SampleAssembly, host.PluginsDir);
        var second = await host.EventuallyAsync(() => host.ChatAsync("/greet Ada"), a => a.Text.Contains("edition 2"), "edition 2 to replace edition 1");
        Assert.False(second.IsError);
        Assert.StartsWith("Hello, Ada!", second.Text);
        Assert.Single((await host.PluginsAsync()).Loaded, "Sample");

        // Delete it: the command and the plugin are gone.
        Directory.Delete(Path.Combine(host.PluginsDir, SampleAssembly), recursive: true);
        await host.EventuallyAsync(async () => (await host.PluginsAsync()).Loaded, l => !l.Contains("Sample"), "the sample plugin to unload");
        var after = await host.ChatAsync("/greet Ada");
        Assert.True(after.IsError);
        Assert.Contains("Unknown command /greet", after.Text);
    }

    [Fact]
    public async Task Corrupt_and_throwing_plugins_are_reported_and_harm_nothing_else()
    {
        await using var host = await RunningHost.StartAsync(prepare: dir =>
        {
            File.WriteAllBytes(Path.Combine(dir, "Corrupt.dll"), [0x4d, 0x5a, 0x00, 0x13, 0x37, .. Enumerable.Range(0, 200).Select(i => (byte)i)]);
            DropFolder("faulty", FaultyAssembly, dir);
            DropFile("sample-1", SampleAssembly, dir); // the single-file layout: <dir>/X.dll
            // Never deeper than <dir>/X/X.dll: a project's bin/ folder, or a folder whose main file is missing, is not a plugin.
            Directory.CreateDirectory(Path.Combine(dir, "Project", "bin"));
            File.WriteAllText(Path.Combine(dir, "Project", "bin", "Project.dll"), "not loaded");
            File.WriteAllText(Path.Combine(dir, "Project", "Helper.dll"), "not loaded");
        });

        var (status, body) = await host.HealthAsync();
        Assert.Equal(200, status);
        // Failed plugins never make the host unhealthy ("starting" while the knowledge folder still loads is healthy too).
        Assert.Contains(body.GetProperty("status").GetString(), new[] { "ok", "starting" });
        var (loaded, failed) = await host.PluginsAsync();
        Assert.Equal(["Sample"], loaded);
        Assert.Contains(failed, f => f.Key.StartsWith("Corrupt (drop-in:Corrupt.dll)", StringComparison.Ordinal) && f.Value.Contains("not a .NET assembly"));
        Assert.Contains(failed, f => f.Key.StartsWith("Faulty ", StringComparison.Ordinal) && f.Value.Contains("the faulty plugin refuses to start"));
        Assert.Equal(2, failed.Count);

        // The good plugin works, the broken one offers nothing, and /plugins says what failed.
        var greet = await host.ChatAsync("/greet Grace");
        Assert.False(greet.IsError, greet.Text);
        Assert.StartsWith("Hello, Grace!", greet.Text);
        Assert.True((await host.ChatAsync("/faulty_echo hi")).IsError);
        var list = await host.ChatAsync("/plugins");
        Assert.Contains("Faulty", list.Text);
        Assert.Contains("FAILED", list.Text);

        // A second copy of the same plugin clashes by name: reported, and the first keeps working.
        DropFile("sample-1", SampleAssembly, host.PluginsDir, "SampleCopy");
        var clash = await host.EventuallyAsync(async () => (await host.PluginsAsync()).Failed, f => f.Keys.Any(k => k.Contains("SampleCopy.dll")), "the clash to be reported");
        Assert.Contains("name clash", clash.Single(f => f.Key.Contains("SampleCopy.dll")).Value);
        Assert.StartsWith("Hello, Grace!", (await host.ChatAsync("/greet Grace")).Text);

        // Fixing the broken file (replacing it with a good plugin) loads it.
        File.Delete(Path.Combine(host.PluginsDir, "SampleCopy.dll"));
        File.Delete(Path.Combine(host.PluginsDir, "Corrupt.dll"));
        await host.EventuallyAsync(async () => (await host.PluginsAsync()).Failed, f => f.Count == 1, "only the faulty plugin to remain failed");
    }
}
