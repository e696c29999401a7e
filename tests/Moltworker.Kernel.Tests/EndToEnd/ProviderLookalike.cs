using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Moltworker.Testing.Hosting;

namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>
/// A loopback server shaped like a local model server (Ollama, vLLM): the OpenAI API lives under <c>/v1</c>, other paths
/// answer 404 in plain text, <c>/ui/…</c> is a web page that answers 200 with HTML for every path, and
/// <c>/big/v1/models</c> is a model list of about 400 KB.
/// </summary>
public sealed class ProviderLookalike : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _modelListRequests;

    private ProviderLookalike(WebApplication app, Uri root)
    {
        _app = app;
        Root = root.ToString().TrimEnd('/');
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c> (no trailing slash, no <c>/v1</c>).</summary>
    public string Root { get; }

    public int ModelListRequests => Volatile.Read(ref _modelListRequests);

    public static async Task<ProviderLookalike> StartAsync()
    {
        ProviderLookalike? server = null;
        var (app, root) = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/v1/models", () =>
            {
                Interlocked.Increment(ref server!._modelListRequests);
                return Results.Json(new { @object = "list", data = new[] { new { id = "llama3.1:8b", @object = "model", created = 0, owned_by = "library" } } });
            });
            // A hosted provider's long list (OpenRouter's is several hundred KB): more than the probe reads.
            app.MapGet("/big/v1/models", () => Results.Json(new
            {
                @object = "list",
                data = Enumerable.Range(0, 3000).Select(i => new { id = $"vendor/model-{i}", @object = "model", created = 0, owned_by = "vendor", description = new string('x', 100) }),
            }));
            app.MapGet("/ui/{**rest}", () => Results.Content("<!doctype html><html><body>Model server web UI</body></html>", "text/html"));
            app.MapFallback(() => Results.Text("404 page not found", statusCode: StatusCodes.Status404NotFound));
        });
        server = new ProviderLookalike(app, root);
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
