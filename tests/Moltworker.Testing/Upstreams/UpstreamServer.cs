using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Moltworker.Testing.Hosting;

namespace Moltworker.Testing.Upstreams;

/// <summary>
/// One Kestrel server on 127.0.0.1 (random port) that speaks the wire shapes of Open-Meteo (geocoding and
/// forecast), CoinGecko (simple price), Hacker News (Firebase API), RSS/Atom feeds, GitHub REST (contents and any
/// other path), Brave Search and SearXNG, and a few plain web pages. Each path prefix can be told to fail: 404, 429 with Retry-After, 500,
/// slow, malformed JSON, oversized bodies, GitHub rate limit exhausted.
/// </summary>
public sealed class UpstreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, UpstreamFault> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RecordedRequest>> _waiters = new(StringComparer.Ordinal);

    private UpstreamServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public int Port => new Uri(BaseUrl).Port;
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public GitHubUpstream GitHub { get; } = new();

    public static async Task<UpstreamServer> StartAsync()
    {
        UpstreamServer? server = null;
        var (_, address) = await LoopbackApp.StartAsync(app =>
        {
            server = new UpstreamServer(app);
            app.Use(server.ApplyFaultsAsync);
            OpenMeteoUpstream.Map(app);
            CoinGeckoUpstream.Map(app);
            HackerNewsUpstream.Map(app);
            FeedUpstream.Map(app);
            server.GitHub.Map(app);
            WebPagesUpstream.Map(app);
            SearchUpstreams.Map(app);
        }).ConfigureAwait(false);
        server!.BaseUrl = address.ToString().TrimEnd('/');
        return server;
    }

    /// <summary>Requests whose path starts with <paramref name="pathPrefix"/> get <paramref name="fault"/> (the longest prefix wins).</summary>
    public void SetFault(string pathPrefix, UpstreamFault fault) => _faults[pathPrefix] = fault;

    public void ClearFaults() => _faults.Clear();

    /// <summary>Completes when the next request under <paramref name="pathPrefix"/> arrives (before any fault is applied).</summary>
    public Task<RecordedRequest> NextRequestAsync(string pathPrefix) =>
        _waiters.GetOrAdd(pathPrefix, _ => new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async Task ApplyFaultsAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body)) body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        Requests.Enqueue(recorded);
        foreach (var key in _waiters.Keys.Where(k => recorded.Path.StartsWith(k, StringComparison.Ordinal)))
            if (_waiters.TryRemove(key, out var waiter)) waiter.TrySetResult(recorded);
        context.Items["body"] = body;

        var fault = _faults.Where(f => recorded.Path.StartsWith(f.Key, StringComparison.Ordinal)).OrderByDescending(f => f.Key.Length).Select(f => f.Value).FirstOrDefault();
        if (fault is null || fault.Kind == UpstreamFaultKind.None)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        await UpstreamFaults.ApplyAsync(context, fault, next).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
