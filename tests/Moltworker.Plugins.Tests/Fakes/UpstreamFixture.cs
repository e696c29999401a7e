using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Fakes;

/// <summary>One in-test upstream server per test class.</summary>
public sealed class UpstreamFixture : IAsyncLifetime
{
    public UpstreamServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await UpstreamServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
