using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Host.Composition;

namespace Moltworker.EndToEnd.Tests.Operations;

/// <summary>What the generic host does for a hosted service, <see cref="AfterListeningHostedService"/> does for the
/// services it makes late: order, lifecycle calls, and a failing background service stopping the host.</summary>
public sealed class AfterListeningHostedServiceTests
{
    [Fact]
    public async Task Services_are_made_and_started_in_order_when_the_host_has_started_and_stopped_in_reverse()
    {
        var calls = new List<string>();
        var made = 0;
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var after = new AfterListeningHostedService(
            [() => { made++; return new Recording("a", calls); }, () => { made++; return new Recording("b", calls); }],
            _ => { calls.Add("validated"); return Task.CompletedTask; }, lifetime, Options.Create(new HostOptions()), NullLogger<AfterListeningHostedService>.Instance);

        await after.StartingAsync(default);
        await after.StartAsync(default);
        Assert.Equal(0, made); // nothing is made before the host reports every service started (the server listens)
        await after.StartedAsync(default);
        await after.StoppingAsync(default);
        await after.StopAsync(default);
        await after.StoppedAsync(default);

        Assert.Equal(["validated", "a starting", "b starting", "a start", "b start", "a started", "b started",
            "b stopping", "a stopping", "b stop", "a stop", "b stopped", "a stopped"], calls);
        Assert.True(after.AllStarted.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_background_service_that_fails_stops_the_host()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var failing = new Failing();
        var after = new AfterListeningHostedService([() => failing], _ => Task.CompletedTask, lifetime, Options.Create(new HostOptions()),
            NullLogger<AfterListeningHostedService>.Instance);

        await after.StartedAsync(default);
        failing.Fail.SetException(new InvalidOperationException("broken"));

        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Same(failing, Assert.Single(after.Started));
        Assert.True(failing.ExecuteTask!.IsFaulted);
    }

    [Fact]
    public async Task Invalid_options_fail_the_start_before_any_service_is_made()
    {
        var made = 0;
        var after = new AfterListeningHostedService([() => { made++; return new Failing(); }],
            _ => throw new OptionsValidationException("Api", typeof(object), ["Moltworker:Api:MaxChatBytes must be positive."]),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), Options.Create(new HostOptions()), NullLogger<AfterListeningHostedService>.Instance);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => after.StartedAsync(default));
        Assert.Contains("MaxChatBytes", error.Message);
        Assert.Equal(0, made);
        Assert.True(after.AllStarted.IsFaulted);
    }

    [Fact]
    public async Task The_web_host_leaves_no_start_up_validator_to_the_generic_host_and_still_validates()
    {
        using var folder = new TempFolder();
        string[] args = ["--urls=http://127.0.0.1:0", $"--Moltworker:DataDirectory={folder.Sub("data")}",
            $"--Moltworker:Plugins:Directory={folder.Sub("plugins")}", "--Logging:LogLevel:Default=Warning", .. RunningHost.NoModel];
        await using (var valid = WebHostFactory.Build(args))
        {
#pragma warning disable SYSLIB0066 // the contract the generic host resolves before the server starts
            Assert.Null(valid.Services.GetService<IStartupValidator>());
#pragma warning restore SYSLIB0066
            Assert.Null(valid.Services.GetService<IAsyncStartupValidator>());
        }

        await using var invalid = WebHostFactory.Build([.. args, "--Moltworker:Api:MaxChatBytes=0"]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => invalid.StartAsync());
        Assert.Contains("MaxChatBytes", error.Message);
        Assert.True(invalid.Services.GetRequiredService<AfterListeningHostedService>().AllStarted.IsFaulted); // validated there
    }

    private sealed class Recording(string name, List<string> calls) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken) => Record("starting");
        public Task StartAsync(CancellationToken cancellationToken) => Record("start");
        public Task StartedAsync(CancellationToken cancellationToken) => Record("started");
        public Task StoppingAsync(CancellationToken cancellationToken) => Record("stopping");
        public Task StopAsync(CancellationToken cancellationToken) => Record("stop");
        public Task StoppedAsync(CancellationToken cancellationToken) => Record("stopped");

        private Task Record(string what)
        {
            calls.Add($"{name} {what}");
            return Task.CompletedTask;
        }
    }

    private sealed class Failing : BackgroundService
    {
        public TaskCompletionSource Fail { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Fail.Task;
    }
}
