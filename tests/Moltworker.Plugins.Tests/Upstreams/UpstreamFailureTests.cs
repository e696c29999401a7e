using Moltworker.Testing.Time;
using Moltworker.Abstractions;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Upstreams;

/// <summary>Every upstream-backed tool, against every way its upstream can fail: a readable ToolException, never a raw one.</summary>
public sealed class UpstreamFailureTests : UpstreamTestBase
{

    public UpstreamFailureTests(UpstreamFixture fixture) : base(fixture) { }

    public static TheoryData<string> Tools => new(PluginCalls.All.Keys);

    private async Task<ToolException> FailAsync(string tool, UpstreamFault fault, TimeProvider? time = null)
    {
        var call = PluginCalls.All[tool];
        Server.SetFault(call.PathPrefix, fault);
        var ex = await Assert.ThrowsAsync<ToolException>(() => call.Call(Server, Factory, time ?? TimeProvider.System));
        Assert.Contains(call.Service, ex.Message);
        return ex;
    }

    [Theory, MemberData(nameof(Tools))]
    public async Task Succeeds_when_the_upstream_is_healthy(string tool)
    {
        var result = await PluginCalls.All[tool].Call(Server, Factory, TimeProvider.System);
        Assert.False(string.IsNullOrWhiteSpace(result));
    }

    [Theory, MemberData(nameof(Tools))]
    public async Task Not_found_is_a_permanent_failure(string tool)
    {
        var ex = await FailAsync(tool, UpstreamFault.NotFound);
        Assert.False(ex.Transient);
    }

    [Theory, MemberData(nameof(Tools))]
    public async Task Too_many_requests_is_transient_with_retry_after(string tool)
    {
        var ex = await FailAsync(tool, UpstreamFault.TooManyRequests(17));
        Assert.True(ex.Transient);
        Assert.Equal(TimeSpan.FromSeconds(17), ex.RetryAfter);
        Assert.Contains("rate limit", ex.Message);
        Assert.Contains("17 s", ex.Message);
    }

    [Theory, MemberData(nameof(Tools))]
    public async Task Server_error_is_transient_and_says_unreachable(string tool)
    {
        var ex = await FailAsync(tool, UpstreamFault.ServerError);
        Assert.True(ex.Transient);
        Assert.Contains("unreachable: HTTP 500", ex.Message);
    }

    [Theory, MemberData(nameof(Tools))]
    public async Task Malformed_data_is_named(string tool)
    {
        var ex = await FailAsync(tool, UpstreamFault.MalformedJson);
        Assert.Contains("malformed", ex.Message);
    }

    [Theory, MemberData(nameof(Tools))]
    public async Task Oversized_bodies_are_not_read(string tool)
    {
        var ex = await FailAsync(tool, UpstreamFault.Oversized(2 * 1024 * 1024));
        Assert.Contains($"more than {PluginCalls.SmallCap} bytes", ex.Message);
    }

    [Theory, MemberData(nameof(Tools))]
    public async Task Slow_upstreams_time_out_as_transient(string tool)
    {
        var call = PluginCalls.All[tool];
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        Server.SetFault(call.PathPrefix, UpstreamFault.Hang);
        var arrived = Server.NextRequestAsync(call.PathPrefix);
        var running = call.Call(Server, Factory, time);
        await arrived;
        time.Advance(TimeSpan.FromMinutes(1));
        var ex = await Assert.ThrowsAsync<ToolException>(() => running);
        Assert.True(ex.Transient);
        Assert.Contains($"{call.Service} unreachable: no answer within", ex.Message);
    }

    [Theory, MemberData(nameof(Tools))]
    public async Task Connection_refused_is_unreachable(string tool)
    {
        await using var gone = await UpstreamServer.StartAsync();
        var call = PluginCalls.All[tool];
        await gone.DisposeAsync();
        var ex = await Assert.ThrowsAsync<ToolException>(() => call.Call(gone, Factory, TimeProvider.System));
        Assert.True(ex.Transient);
        Assert.Contains($"{call.Service} unreachable", ex.Message);
    }
}
