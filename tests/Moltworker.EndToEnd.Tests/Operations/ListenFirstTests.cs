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
        ], builder => builder.Services.AddSingleton(gate).AddHostedService<SlowToMake>().AddSingleton<IHealthContributor, SlowToMakeHealth>());
        ((IEndpointRouteBuilder)app).DataSources.Add(routes);

        var starting = Task.Run(() => app.StartAsync());
        try
        {
            await gate.Constructing.Task.WaitAsync(TimeSpan.FromSeconds(30)); // made only after the server listens
            Assert.Equal(0, routes.Reads);
            // The probes make nothing while the services are being made: a health contributor that cannot be made yet
            // (its constructor waits for the same gate) would hold them up until the gate opens.
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(15) };
            using (var health = await http.GetAsync("/healthz"))
            {
                Assert.Equal(200, (int)health.StatusCode);
                var body = await health.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("starting", body.GetProperty("status").GetString());
                Assert.Equal(["services"], body.GetProperty("loading").EnumerateArray().Select(e => e.GetString()));
            }
            using (var ready = await http.GetAsync("/readyz"))
            {
                Assert.Equal(503, (int)ready.StatusCode);
                Assert.Equal("starting", (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
            }
            Assert.Equal(0, routes.Reads); // the probes did not build the route table

            gate.Release.SetResult();
            await starting.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(app.Services.GetRequiredService<AfterListeningHostedService>().AllStarted.IsCompletedSuccessfully);
            Assert.Contains(app.Services.GetRequiredService<AfterListeningHostedService>().Started, s => s is SlowToMake);
            var (_, full) = await GetJsonAsync(http, "/healthz"); // every contributor's entry once the services are made
            Assert.Equal("made", full.GetProperty("slow").GetProperty("state").GetString());
            Assert.True(full.TryGetProperty("database", out _));
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

    /// <summary>A /healthz entry made, like <see cref="SlowToMake"/>, only once the gate opens.</summary>
    public sealed class SlowToMakeHealth : IHealthContributor
    {
        public SlowToMakeHealth(ConstructionGate gate) => gate.Release.Task.Wait();

        public string Name => "slow";

        public Task<HealthEntry> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(new HealthEntry(true, new { state = "made" }));
    }

    private static async Task<(int Status, JsonElement Body)> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
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
