using Moltworker.EndToEnd.Tests.Hosting;

namespace Moltworker.EndToEnd.Tests.Host;

/// <summary>With no model configured the host still starts, says how to configure one, and runs commands.</summary>
public sealed class NoModelTests
{
    [Fact]
    public async Task Host_serves_health_commands_and_a_clear_answer_without_a_model()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel, dir => TestArtifacts.DropFolder("sample-1", TestArtifacts.SampleAssembly, dir));

        var (status, health) = await host.HealthAsync();
        Assert.Equal(200, status);
        Assert.False(health.GetProperty("model").GetProperty("configured").GetBoolean());
        var hint = string.Join(" ", health.GetProperty("hints").EnumerateArray().Select(h => h.GetString()));
        Assert.Contains("Moltworker__Llm__BaseUrl", hint);
        Assert.Contains("Moltworker__Llm__Model", hint);

        var help = await host.ChatAsync("/help");
        Assert.False(help.IsError);
        foreach (var command in new[] { "/help", "/plugins", "/status", "/greet" }) Assert.Contains(command, help.Text);
        Assert.Contains("No model is configured", help.Text);

        var plugins = await host.ChatAsync("/plugins");
        Assert.False(plugins.IsError);
        Assert.Contains("Sample", plugins.Text);

        var statusReply = await host.ChatAsync("/status");
        Assert.Contains("Model: not configured", statusReply.Text);
        Assert.Matches(@"Plugins: \d+ loaded", statusReply.Text);

        // A plugin tool offered as a command runs through the pipeline without a model.
        var greet = await host.ChatAsync("/greet Lin");
        Assert.False(greet.IsError, greet.Text);
        Assert.StartsWith("Hello, Lin!", greet.Text);

        // Free text is answered from the curated knowledge base, with citations, under a line saying no model is configured.
        var free = await host.ChatAsync("How do I configure the model endpoint and API key?");
        Assert.False(free.IsError, free.Text);
        Assert.Contains("No model is configured", free.Text);
        Assert.Contains("[1]", free.Text);
        Assert.Contains("Moltworker__Llm__", free.Text);
    }
}
