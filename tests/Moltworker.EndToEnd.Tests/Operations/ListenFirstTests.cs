using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Primitives;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Host.Composition;
using Moltworker.Kernel.State;

namespace Moltworker.EndToEnd.Tests.Operations;

/// <summary>The web host listens before it makes its hosted services (<see cref="AfterListeningServices"/>), and the
/// probes are answered ahead of routing (<c>HealthProbes</c>): a starting host answers <c>/healthz</c> while a hosted
/// service is still being made, and neither the start nor a probe builds the route table.</summary>
public sealed class ListenFirstTests
{
    [Fact]
    public async Task Probes_answer_while_a_hosted_service_is_still_being_made_and_build_no_routes()
    {
        using var folder = new TempFolder();
        var gate = new ConstructionGate();
        var routes = new CountingEndpointDataSource();
        var app = WebHostFactory.Build(
        [
            "--urls=http://127.0.0.1:0", $"--Moltworker:DataDirectory={folder.Sub("data")}",
            $"--Moltworker:Plugins:Directory={folder.Sub("plugins")}", "--Logging:LogLevel:Default=Warning", .. RunningHost.NoModel,
        ], builder => builder.Services.AddSingleton(gate).AddHostedService<SlowToMake>());
        ((IEndpointRouteBuilder)app).DataSources.Add(routes);
        // What /healthz needs is made here, so the probe does not wait for the container's lock, which the blocked
        // constructor below holds.
        _ = app.Services.GetServices<IHealthContributor>().ToList();
        _ = app.Services.GetRequiredService<StartupReadiness>();

        var starting = Task.Run(() => app.StartAsync());
        try
        {
            await gate.Constructing.Task.WaitAsync(TimeSpan.FromSeconds(30)); // made only after the server listens
            Assert.Equal(0, routes.Reads);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
            using (var health = await http.GetAsync("/healthz"))
            {
                Assert.Equal(200, (int)health.StatusCode);
                var body = await health.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("starting", body.GetProperty("status").GetString());
                Assert.Contains("services", body.GetProperty("loading").EnumerateArray().Select(e => e.GetString()));
            }
            using (var ready = await http.GetAsync("/readyz")) Assert.Equal(503, (int)ready.StatusCode);
            Assert.Equal(0, routes.Reads); // the probes did not build the route table

            gate.Release.SetResult();
            await starting.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(app.Services.GetRequiredService<AfterListeningHostedService>().AllStarted.IsCompletedSuccessfully);
            Assert.Contains(app.Services.GetRequiredService<AfterListeningHostedService>().Started, s => s is SlowToMake);
            using (var plugins = await http.GetAsync("/api/plugins")) Assert.Equal(200, (int)plugins.StatusCode);
            Assert.True(routes.Reads > 0); // the first routed request built it
        }
        finally
        {
            gate.Release.TrySetResult();
            await starting.WaitAsync(TimeSpan.FromSeconds(30));
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public sealed class ConstructionGate
    {
        public TaskCompletionSource Constructing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A hosted service whose constructor blocks until released.</summary>
    public sealed class SlowToMake : IHostedService
    {
        public SlowToMake(ConstructionGate gate)
        {
            gate.Constructing.TrySetResult();
            gate.Release.Task.Wait();
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>An empty source of endpoints that counts how often routing (or anything else) read its endpoints.</summary>
    private sealed class CountingEndpointDataSource : EndpointDataSource
    {
        private int _reads;
        public int Reads => Volatile.Read(ref _reads);

        public override IReadOnlyList<Endpoint> Endpoints
        {
            get { Interlocked.Increment(ref _reads); return []; }
        }

        public override IChangeToken GetChangeToken() => new CancellationChangeToken(CancellationToken.None);
    }
}
