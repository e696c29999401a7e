namespace Moltworker.Plugins.BuiltIn.Http;

/// <summary>
/// Used when the host registers no <see cref="IHttpClientFactory"/>: one pooled handler for the process (connections
/// recycled every two minutes so DNS changes are seen), clients handed out over it.
/// </summary>
internal sealed class SharedHttpClientFactory : IHttpClientFactory
{
    public static readonly SharedHttpClientFactory Instance = new();

    private readonly SocketsHttpHandler _handler = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    };

    /// <summary>A client from <paramref name="factory"/> (or the shared one) whose own timeout is off: the plugins'
    /// configured timeouts apply instead (a factory client would otherwise stop at 100 s).</summary>
    public static HttpClient Create(IHttpClientFactory? factory, string name)
    {
        var client = (factory ?? Instance).CreateClient(name);
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    public HttpClient CreateClient(string name) => new(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
}
