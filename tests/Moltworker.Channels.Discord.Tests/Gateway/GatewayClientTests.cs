using System.Text.Json.Nodes;
using Moltworker.Channels.Discord.Gateway;
using Moltworker.Channels.Discord.Tests.Support;

namespace Moltworker.Channels.Discord.Tests.Gateway;

public sealed class GatewayClientTests
{
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(10, cts.Token);
    }

    [Fact]
    public async Task Hello_is_answered_with_identify_intents_0_and_ready_gives_the_session()
    {
        await using var h = await GatewayHarness.StartAsync();
        var (c, identify) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        Assert.Equal("/gateway", c.Path);
        Assert.Equal(0, identify["d"]!["intents"]!.GetValue<int>());
        Assert.Equal(RestHarness.BotToken, identify["d"]!["token"]!.GetValue<string>());
        await WaitUntilAsync(() => h.Client.Status.Ready);
        Assert.Contains(h.Client.Status.SessionId, h.Server.Gateway.Sessions);
    }

    [Fact]
    public async Task The_first_heartbeat_is_jittered_then_beats_follow_the_interval_with_the_last_sequence()
    {
        await using var h = await GatewayHarness.StartAsync();
        var (c, _) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        var first = await h.Time.WaitForTimerAsync();
        Assert.InRange(first.TotalMilliseconds, h.Interval.TotalMilliseconds * 0.25 - 1, h.Interval.TotalMilliseconds * 0.25);

        await c.DispatchAsync("MESSAGE_CREATE", new JsonObject());
        await WaitUntilAsync(() => h.Dispatches.Count == 1);
        h.Time.Advance(first);
        var beat = await c.NextAsync(GatewayOpcodes.Heartbeat);
        Assert.Equal(2, beat["d"]!.GetValue<long>()); // READY was 1, MESSAGE_CREATE 2
        await WaitUntilAsync(() => h.Client.Status.HeartbeatAcks == 1);

        Assert.Equal(h.Interval, await h.Time.WaitForTimerAsync(d => d == h.Interval));
        h.Time.Advance(h.Interval);
        await c.NextAsync(GatewayOpcodes.Heartbeat);
    }

    [Fact]
    public async Task A_heartbeat_request_is_answered_at_once()
    {
        await using var h = await GatewayHarness.StartAsync();
        var (c, _) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        await c.RequestHeartbeatAsync();
        await c.NextAsync(GatewayOpcodes.Heartbeat);
    }

    [Fact]
    public async Task A_missing_ack_is_a_zombie_connection_and_the_client_resumes_on_the_resume_url()
    {
        await using var h = await GatewayHarness.StartAsync();
        var (c, _) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        await WaitUntilAsync(() => h.Client.Status.Ready);
        var session = h.Client.Status.SessionId;
        h.Server.Gateway.AckHeartbeats = false;

        h.Time.Advance(await h.Time.WaitForTimerAsync());
        await c.NextAsync(GatewayOpcodes.Heartbeat);
        await h.Time.WaitForTimerAsync(d => d == h.Interval);
        h.Time.Advance(h.Interval);

        var closed = await c.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(1000, closed);
        var (resumed, resume) = await h.NextReadyAsync(GatewayOpcodes.Resume);
        Assert.Equal("/gateway-resume", resumed.Path);
        Assert.Equal(session, resume["d"]!["session_id"]!.GetValue<string>());
        Assert.Equal(1, resume["d"]!["seq"]!.GetValue<long>());
    }

    [Fact]
    public async Task Op_7_reconnect_resumes()
    {
        await using var h = await GatewayHarness.StartAsync();
        var (c, _) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        await WaitUntilAsync(() => h.Client.Status.Ready);
        await c.SendReconnectAsync();
        var (_, resume) = await h.NextReadyAsync(GatewayOpcodes.Resume);
        Assert.Equal(h.Client.Status.SessionId, resume["d"]!["session_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Op_9_true_resumes_and_op_9_false_identifies_afresh_after_a_wait()
    {
        await using var h = await GatewayHarness.StartAsync(invalidSessionDelay: 2);
        var (c1, _) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        await WaitUntilAsync(() => h.Client.Status.Ready);
        await c1.SendInvalidSessionAsync(resumable: true);
        h.Time.Advance(await h.Time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(2)));
        var (c2, _) = await h.NextReadyAsync(GatewayOpcodes.Resume);

        await c2.SendInvalidSessionAsync(resumable: false);
        h.Time.Advance(await h.Time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(2)));
        var (c3, identify) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        Assert.Equal("/gateway", c3.Path);
        Assert.Equal(0, identify["d"]!["intents"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(4008)]
    public async Task Reconnectable_close_codes_resume(int code)
    {
        await using var h = await GatewayHarness.StartAsync();
        var (c, _) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        await WaitUntilAsync(() => h.Client.Status.Ready);
        await c.CloseAsync(code);
        await h.NextReadyAsync(GatewayOpcodes.Resume);
    }

    [Theory]
    [InlineData(4007)]
    [InlineData(4009)]
    public async Task Session_ending_close_codes_identify_afresh(int code)
    {
        await using var h = await GatewayHarness.StartAsync();
        var (c, _) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        await WaitUntilAsync(() => h.Client.Status.Ready);
        await c.CloseAsync(code);
        var (c2, _) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        Assert.Equal("/gateway", c2.Path);
    }

    [Theory]
    [InlineData(4004)]
    [InlineData(4010)]
    [InlineData(4011)]
    [InlineData(4012)]
    [InlineData(4013)]
    [InlineData(4014)]
    public async Task Fatal_close_codes_stop_the_gateway(int code)
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Gateway.IdentifyCloseCode = code;
        var ex = await Assert.ThrowsAsync<GatewayFatalException>(() => h.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(code, ex.Code);
        Assert.NotNull(h.Client.Status.Fatal);
        Assert.Equal(1, h.Client.Status.Connections);
    }

    [Fact]
    public async Task Dispatches_reach_the_handler()
    {
        await using var h = await GatewayHarness.StartAsync();
        var (c, _) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        await c.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "55", ["type"] = 1, ["token"] = "t" });
        await WaitUntilAsync(() => !h.Dispatches.IsEmpty);
        Assert.True(h.Dispatches.TryDequeue(out var d));
        Assert.Equal("INTERACTION_CREATE", d.Type);
        Assert.Equal("55", d.Data.GetProperty("id").GetString());
    }
}
