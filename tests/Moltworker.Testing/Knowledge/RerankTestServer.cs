using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Moltworker.Testing.Hosting;

namespace Moltworker.Testing.Knowledge;

/// <summary>
/// A Cohere-compatible <c>POST /v1/rerank</c> server on 127.0.0.1 for tests. Request <c>{model, query, documents,
/// top_n}</c>; response <c>{id, results: [{index, relevance_score}], meta}</c>, best first. Its stand-in "cross-encoder"
/// scores a document by the share of the query's words (4+ letters, first 5 letters compared) it contains, weighting
/// the document's first line (title and section) double. It can be told to fail the next requests or to hold them until
/// the caller gives up.
/// </summary>
public sealed class RerankTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _faults = new();

    private RerankTestServer(WebApplication app) => _app = app;

    /// <summary>Base URL to configure (ends with /v1).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Request bodies, in arrival order.</summary>
    public ConcurrentQueue<JsonObject> Bodies { get; } = new();

    /// <summary>When set, requests wait until the client cancels them.</summary>
    public bool Hang { get; set; }

    /// <summary>Completes when a request has arrived (and, with <see cref="Hang"/>, is being held).</summary>
    public TaskCompletionSource Arrived { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<RerankTestServer> StartAsync()
    {
        RerankTestServer? server = null;
        var (_, address) = await LoopbackApp.StartAsync(app =>
        {
            server = new RerankTestServer(app);
            app.MapPost("/v1/rerank", (Delegate)server.HandleAsync);
        });
        server!.BaseUrl = address.ToString().TrimEnd('/') + "/v1";
        return server;
    }

    public void EnqueueFault(int status) => _faults.Enqueue(status);

    /// <summary>The stand-in relevance of <paramref name="document"/> to <paramref name="query"/>, 0..1.</summary>
    public static double Score(string query, string document)
    {
        static IEnumerable<string> Stems(string text) => text.ToLowerInvariant()
            .Split(text.Where(c => !char.IsLetterOrDigit(c)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length >= 4).Select(w => w.Length > 5 ? w[..5] : w);
        var words = Stems(query).Distinct().ToList();
        if (words.Count == 0) return 0;
        var newline = document.IndexOf('\n');
        var head = Stems(newline < 0 ? document : document[..newline]).ToHashSet();
        var body = Stems(document).ToHashSet();
        return words.Sum(w => (body.Contains(w) ? 1.0 : 0) + (head.Contains(w) ? 1.0 : 0)) / (2.0 * words.Count);
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Bodies.Enqueue(body);
        Arrived.TrySetResult();
        if (Hang)
        {
            try { await Task.Delay(Timeout.Infinite, context.RequestAborted); } catch (OperationCanceledException) { }
            return Results.StatusCode(499);
        }
        if (_faults.TryDequeue(out var status))
            return Results.Text(new JsonObject { ["message"] = "internal error" }.ToJsonString(), "application/json", statusCode: status);
        var query = body["query"]!.GetValue<string>();
        var documents = body["documents"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        var topN = body["top_n"]?.GetValue<int>() ?? documents.Count;
        var results = documents.Select((d, i) => (Index: i, Score: Score(query, d)))
            .OrderByDescending(r => r.Score).ThenBy(r => r.Index).Take(topN)
            .Select(r => (JsonNode)new JsonObject { ["index"] = r.Index, ["relevance_score"] = r.Score }).ToArray();
        return Results.Text(new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["results"] = new JsonArray(results),
            ["meta"] = new JsonObject { ["billed_units"] = new JsonObject { ["search_units"] = 1 } },
        }.ToJsonString(), "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
