using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Moltworker.Testing.Hosting;

namespace Moltworker.Testing.Ledger;

/// <summary>
/// An in-test side-effect target on Kestrel (127.0.0.1, free port) that counts executions per idempotency key.
/// <c>GET /read?item=a</c> answers <c>value-of-a</c>; <c>POST /write?item=x</c> applies the effect once per
/// <c>Idempotency-Key</c> header (a repeated key gets the stored answer and no new effect). Every request counts.
/// </summary>
public sealed class LedgerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly ConcurrentDictionary<string, int> _effects = new();
    private readonly ConcurrentQueue<(string Key, DateTimeOffset At)> _log = new();

    private LedgerServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Requests (reads and writes) per idempotency key.</summary>
    public IReadOnlyDictionary<string, int> Requests => _requests;

    /// <summary>Applied effects per idempotency key (writes only; never above 1 when callers reuse keys).</summary>
    public IReadOnlyDictionary<string, int> Effects => _effects;

    /// <summary>Called with each request's key as it arrives (e.g. to time the first call after a restart).</summary>
    public Action<string>? OnRequest { get; set; }

    public static async Task<LedgerServer> StartAsync()
    {
        LedgerServer? server = null;
        var (_, address) = await LoopbackApp.StartAsync(app =>
        {
            server = new LedgerServer(app);
            app.Run(server.HandleAsync);
        });
        server!.BaseUrl = address;
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var item = context.Request.Query["item"].ToString();
        if (key.Length == 0 || item.Length == 0)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("Idempotency-Key header and item are required");
            return;
        }
        _requests.AddOrUpdate(key, 1, (_, n) => n + 1);
        _log.Enqueue((key, DateTimeOffset.UtcNow));
        OnRequest?.Invoke(key);
        if (HttpMethods.IsPost(context.Request.Method))
        {
            _effects.AddOrUpdate(key, 1, (_, n) => n); // a known key is reconciled, not applied again
            await context.Response.WriteAsync($"ok:{item}");
            return;
        }
        await context.Response.WriteAsync($"value-of-{item}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
