using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Channels.Discord.Gateway;
using Moltworker.Channels.Discord.Tests.Support;
using Moltworker.Testing.Discord;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Discord.Tests.Gateway;

/// <summary>A <see cref="GatewayClient"/> running against the in-test gateway on a manual clock.</summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private GatewayHarness(FakeDiscordServer server, double invalidSessionDelay)
    {
        Server = server;
        var options = RestHarness.TestOptions(server);
        options.GatewayInvalidSessionDelaySeconds = invalidSessionDelay;
        Client = new GatewayClient(Microsoft.Extensions.Options.Options.Create(options), Time, NullLogger<GatewayClient>.Instance)
        {
            Jitter = () => 0.25,
        };
    }

    public FakeDiscordServer Server { get; }
    public FakeTimeProvider Time { get; } = new();
    public GatewayClient Client { get; }
    public ConcurrentQueue<(string Type, JsonElement Data)> Dispatches { get; } = new();
    public Task Run { get; private set; } = Task.CompletedTask;
    public TimeSpan Interval => TimeSpan.FromMilliseconds(Server.Gateway.HeartbeatIntervalMs);

    public static async Task<GatewayHarness> StartAsync(double invalidSessionDelay = 0)
    {
        var h = new GatewayHarness(await FakeDiscordServer.StartAsync(), invalidSessionDelay);
        h.Run = h.Client.RunAsync((t, d) => { h.Dispatches.Enqueue((t, d)); return Task.CompletedTask; }, h._stop.Token);
        return h;
    }

    /// <summary>The next connection, after it identified (or resumed) and got READY (or RESUMED).</summary>
    public async Task<(FakeGatewayConnection Connection, System.Text.Json.Nodes.JsonObject Hello)> NextReadyAsync(int op)
    {
        var c = await Server.Gateway.NextConnectionAsync();
        var payload = await c.NextAsync(op);
        return (c, payload);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await Run.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { /* ended either way */ }
        await Server.DisposeAsync();
    }
}
