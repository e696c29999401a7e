using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Moltworker.Testing.Hosting;

namespace Moltworker.Testing.Mcp;

/// <summary>
/// An MCP server over Streamable HTTP on loopback (<c>POST /mcp</c>), wired by hand on the package's
/// <see cref="StreamableHttpServerTransport"/> (ModelContextProtocol.AspNetCore is not in the feed): one session, no
/// standalone GET stream. Offers <c>http_echo</c>, and records every request's headers.
/// </summary>
public sealed class McpHttpTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StreamableHttpServerTransport _transport;
    private readonly McpServer _server;
    private readonly Task _running;
    private readonly ConcurrentQueue<IHeaderDictionary> _requests;

    private McpHttpTestServer(WebApplication app, Uri address, StreamableHttpServerTransport transport, McpServer server, ConcurrentQueue<IHeaderDictionary> requests)
    {
        _app = app;
        Endpoint = new Uri(address, "/mcp");
        _transport = transport;
        _server = server;
        _requests = requests;
        _running = server.RunAsync();
    }

    public Uri Endpoint { get; }

    /// <summary>The headers of every request so far.</summary>
    public IReadOnlyList<IHeaderDictionary> Requests => _requests.ToArray();

    public static async Task<McpHttpTestServer> StartAsync()
    {
        var requests = new ConcurrentQueue<IHeaderDictionary>();
        var transport = new StreamableHttpServerTransport(null);
        var tools = new McpServerPrimitiveCollection<McpServerTool>();
        tools.Add(McpServerTool.Create((string text) => $"over http: {text}", new() { Name = "http_echo", Description = "Echoes the text", ReadOnly = true }));
        var server = McpServer.Create(transport, new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "moltworker-http-test-server", Version = "2.0.0" },
            ToolCollection = tools,
        });
        var (app, address) = await LoopbackApp.StartAsync(app =>
        {
            app.MapPost("/mcp", async context =>
            {
                requests.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
                var message = await JsonSerializer.DeserializeAsync<JsonRpcMessage>(context.Request.Body, McpJsonUtilities.DefaultOptions, context.RequestAborted);
                if (message is null) { context.Response.StatusCode = 400; return; }
                context.Response.ContentType = "text/event-stream";
                context.Response.Headers.CacheControl = "no-cache";
                var answered = await transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted);
                if (!answered) context.Response.StatusCode = StatusCodes.Status202Accepted;
            });
            app.MapGet("/mcp", context => { context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed; return Task.CompletedTask; });
            app.MapDelete("/mcp", context => { context.Response.StatusCode = StatusCodes.Status200OK; return Task.CompletedTask; });
        });
        return new McpHttpTestServer(app, address, transport, server, requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
        await _transport.DisposeAsync();
        try { await _running; } catch (OperationCanceledException) { }
    }
}
