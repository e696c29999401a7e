namespace Moltworker.Plugins.Tests.Fakes;

/// <summary>An IHttpClientFactory that hands out clients over one shared handler and remembers the names asked for.</summary>
public sealed class LoopbackHttpClientFactory : IHttpClientFactory, IDisposable
{
    private readonly SocketsHttpHandler _handler = new() { UseProxy = false, AllowAutoRedirect = false };

    public List<string> Names { get; } = [];

    public HttpClient CreateClient(string name)
    {
        lock (Names) Names.Add(name);
        return new HttpClient(_handler, disposeHandler: false);
    }

    public void Dispose() => _handler.Dispose();
}
