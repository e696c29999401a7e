using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Fakes;

/// <summary>Tests of plugins that call upstream services: the shared in-test upstream server (its injected faults
/// cleared for each test) and a loopback HTTP client factory.</summary>
public abstract class UpstreamTestBase : IClassFixture<UpstreamFixture>, IDisposable
{
    protected UpstreamTestBase(UpstreamFixture fixture)
    {
        Server = fixture.Server;
        Server.ClearFaults();
    }

    protected UpstreamServer Server { get; }

    protected LoopbackHttpClientFactory Factory { get; } = new();

    public void Dispose()
    {
        Factory.Dispose();
        GC.SuppressFinalize(this);
    }
}
