using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.EndToEnd.Tests.Upgrade;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Tasks;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Time;

namespace Moltworker.EndToEnd.Tests.Operations;

/// <summary>/healthz answers while start-up work (here: resuming a task left by the previous run) goes on, saying
/// "starting" and what is loading; /readyz is 503 until that work is done, then 200. That work is held until the first
/// answer went out, or <see cref="StartupHold.Delay"/> after the host started listening.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Healthz_says_starting_and_readyz_waits_until_the_resume_pass_is_done()
    {
        using var folder = new TempFolder();
        await UpgradeFixtureWriter.WriteAsync(Path.Combine(folder.Sub("data"), "moltworker.db")); // holds a task cut short
        await using var model = await FakeOpenAIServer.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        model.Enqueue(ScriptedReply.Answer("resumed") with { WaitFor = release.Task });
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Knowledge:IngestSeedOnStart=false"], folder: folder);
        await model.WaitForRequestsAsync(1); // the resumed task waits for the model

        var (status, health) = await host.HealthAsync();
        Assert.Equal(200, status);
        Assert.Equal("starting", health.GetProperty("status").GetString());
        Assert.Equal(["tasks"], health.GetProperty("loading").EnumerateArray().Select(e => e.GetString()));
        using (var notReady = await host.Http.GetAsync("/readyz"))
        {
            Assert.Equal(503, (int)notReady.StatusCode);
            Assert.Equal("starting", (await notReady.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        release.SetResult();
        await host.EventuallyAsync(async () => (int)(await host.Http.GetAsync("/readyz")).StatusCode, s => s == 200, "/readyz to say ready");
        Assert.Equal("ok", (await host.HealthAsync()).Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Start_up_work_waits_for_the_first_answer_and_is_listed_as_loading_until_then()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow); // never advanced: only the first answer opens the hold
        await using var host = await RunningHost.StartAsync([.. RunningHost.NoModel], configure: s => s.AddSingleton<TimeProvider>(time));
        var hold = host.Services.GetRequiredService<StartupHold>();
        var resume = host.Services.GetRequiredService<TaskResumeService>();
        Assert.False(hold.IsOpen);
        Assert.False(resume.FirstPass.IsCompleted); // not started
        // The tool cache's registration check builds the plugin catalog: it is held too, not started beside the start-up.
        var hosted = host.Services.GetRequiredService<AfterListeningHostedService>().Started;
        Assert.Empty(hosted.OfType<ToolCacheRegistrationCheck>());
        Assert.Empty(hosted.OfType<PluginWarmup>());
        Assert.Contains(hosted.OfType<HeldHostedService>(), h => h.Inner is ToolCacheRegistrationCheck);
        Assert.Contains(hosted.OfType<HeldHostedService>(), h => h.Inner is PluginWarmup);

        var (status, health) = await host.HealthAsync();
        Assert.Equal(200, status);
        Assert.Equal("starting", health.GetProperty("status").GetString());
        Assert.Equal(["plugins", "knowledge", "tasks"], health.GetProperty("loading").EnumerateArray().Select(e => e.GetString()));
        // The plugins entry says loading while the warm-up is held; it does not build the catalog itself.
        Assert.True(health.GetProperty("plugins").GetProperty("loading").GetBoolean());

        await hold.Opened.WaitAsync(TimeSpan.FromSeconds(20)); // the first answer went out
        await resume.FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
        await host.EventuallyAsync(async () => (int)(await host.Http.GetAsync("/readyz")).StatusCode, s => s == 200, "/readyz to say ready");
    }

    [Fact]
    public async Task Without_a_request_the_held_start_up_work_starts_after_the_delay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await RunningHost.StartAsync([.. RunningHost.NoModel], configure: s => s.AddSingleton<TimeProvider>(time));
        var hold = host.Services.GetRequiredService<StartupHold>();
        var resume = host.Services.GetRequiredService<TaskResumeService>();

        Assert.Equal(StartupHold.Delay, await time.WaitForTimerAsync(StartupHold.Delay));
        Assert.False(hold.IsOpen);
        Assert.False(resume.FirstPass.IsCompleted);
        time.Advance(StartupHold.Delay);
        await hold.Opened.WaitAsync(TimeSpan.FromSeconds(20));
        await resume.FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
