using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static Moltworker.EndToEnd.Tests.Hosting.TestArtifacts;

namespace Moltworker.EndToEnd.Tests.Mcp;

/// <summary>A plugin dropped into the running host's folder becomes an MCP tool: a connected session is told
/// (<c>notifications/tools/list_changed</c>) and lists it, and can call it.</summary>
public sealed class McpServerPluginTests
{
    [Fact]
    public async Task A_hot_loaded_plugin_s_tool_appears_and_the_session_is_told()
    {
        await using var host = await McpHost.StartAsync();
        await using var client = await host.ConnectAsync();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var handler = client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
        {
            changed.TrySetResult();
            return ValueTask.CompletedTask;
        });
        Assert.DoesNotContain(await client.ListToolsAsync(), t => t.Name == "sample_word_count");

        DropFolder("sample-1", SampleAssembly, host.Host.PluginsDir);

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var tools = await host.Host.EventuallyAsync(async () => (await client.ListToolsAsync()).Select(t => t.Name).ToList(),
            names => names.Contains("sample_word_count"), "the sample plugin's tool to be listed");
        Assert.Contains("sample_greet", tools);
        var counted = await client.CallToolAsync("sample_word_count", new Dictionary<string, object?> { ["text"] = "one two three" });
        Assert.NotEqual(true, counted.IsError);
        Assert.Contains("3", McpHost.TextOf(counted), StringComparison.Ordinal);
    }
}
