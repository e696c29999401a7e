using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Moltworker.Testing.Hosting;

namespace Moltworker.Testing.Knowledge;

/// <summary>
/// An OpenAI-compatible <c>POST /v1/embeddings</c> server on 127.0.0.1 for tests: answers with
/// <see cref="HashingEmbeddingGenerator"/> vectors in OpenAI's response shape (data[].embedding, index, usage),
/// records each request, checks the bearer key when one is set, and can be told to fail the next requests.
/// </summary>
public sealed class EmbeddingsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HashingEmbeddingGenerator _embedder;
    private readonly ConcurrentQueue<(int Status, string Message, string? RetryAfter)> _faults = new();

    private EmbeddingsTestServer(WebApplication app, HashingEmbeddingGenerator embedder, string? apiKey)
    {
        _app = app;
        _embedder = embedder;
        ApiKey = apiKey;
    }

    public string? ApiKey { get; }

    /// <summary>Base URL to configure (ends with /v1).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The inputs of each request, in arrival order.</summary>
    public ConcurrentQueue<IReadOnlyList<string>> Requests { get; } = new();

    public ConcurrentQueue<JsonObject> Bodies { get; } = new();

    public static async Task<EmbeddingsTestServer> StartAsync(int dimensions = 64, string? apiKey = null)
    {
        EmbeddingsTestServer? server = null;
        var (_, address) = await LoopbackApp.StartAsync(app =>
        {
            server = new EmbeddingsTestServer(app, new HashingEmbeddingGenerator(dimensions), apiKey);
            app.MapPost("/v1/embeddings", (Delegate)server.HandleAsync);
        });
        server!.BaseUrl = address.ToString().TrimEnd('/') + "/v1";
        return server;
    }

    /// <summary>The next request fails with this status, an OpenAI-style error body and, if given, a <c>Retry-After</c> header.</summary>
    public void EnqueueFault(int status, string message = "overloaded", string? retryAfter = null) => _faults.Enqueue((status, message, retryAfter));

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        if (ApiKey is not null && context.Request.Headers.Authorization != $"Bearer {ApiKey}")
            return Error(401, "Incorrect API key provided.", "invalid_request_error");
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Bodies.Enqueue(body);
        if (_faults.TryDequeue(out var fault))
        {
            if (fault.RetryAfter is not null) context.Response.Headers.RetryAfter = fault.RetryAfter;
            return Error(fault.Status, fault.Message, "server_error");
        }
        if (body["model"]?.GetValue<string>() is not { Length: > 0 } model) return Error(400, "you must provide a model parameter", "invalid_request_error");
        var inputs = body["input"] switch
        {
            JsonArray array => array.Select(a => a!.GetValue<string>()).ToList(),
            JsonValue single => [single.GetValue<string>()],
            _ => [],
        };
        Requests.Enqueue(inputs);
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = new JsonArray(_embedder.Embed(inputs[i]).Select(v => (JsonNode)v).ToArray()),
            });
        }
        var tokens = inputs.Sum(i => i.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        return Results.Text(new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        }.ToJsonString(), "application/json");
    }

    private static IResult Error(int status, string message, string type) =>
        Results.Text(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type } }.ToJsonString(), "application/json", statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
