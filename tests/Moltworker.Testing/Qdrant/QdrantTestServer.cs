using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Moltworker.Testing.Hosting;

namespace Moltworker.Testing.Qdrant;

/// <summary>
/// A Qdrant REST server on 127.0.0.1 (random port) for tests. Every request is matched against the operations of
/// Qdrant's OpenAPI document; its query parameters and JSON body are validated against the document's schemas
/// (an invalid one gets Qdrant's 400 error envelope and is recorded in <see cref="Violations"/>). Valid requests
/// are served from in-memory collections (<see cref="QdrantFakeOperations"/>) in Qdrant's envelope
/// <c>{"result", "status": "ok", "time"}</c>, errors as <c>{"status": {"error"}, "time"}</c>; the server also
/// validates its own responses against the document. Faults can be queued to test retries.
/// </summary>
public sealed class QdrantTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Error, TimeSpan? RetryAfter)> _faults = new();

    private QdrantTestServer(WebApplication app, string? apiKey)
    {
        _app = app;
        ApiKey = apiKey;
    }

    public QdrantOpenApi Api { get; } = QdrantOpenApi.Instance;

    public QdrantFakeOperations State { get; } = new();

    public string? ApiKey { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Requests the document rejects, and responses of this server the document would reject.</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>Answers the readiness probe with 503 while false.</summary>
    public bool Ready { get; set; } = true;

    public static async Task<QdrantTestServer> StartAsync(string? apiKey = null)
    {
        QdrantTestServer? server = null;
        var (_, address) = await LoopbackApp.StartAsync(app =>
        {
            server = new QdrantTestServer(app, apiKey);
            app.Run(server.HandleAsync);
        });
        server!.BaseAddress = new Uri(address.ToString().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>The next valid request is answered with this error instead (e.g. 503 to exercise retries).</summary>
    public void EnqueueFault(int status, string error = "Service Unavailable", TimeSpan? retryAfter = null) => _faults.Enqueue((status, error, retryAfter));

    private async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.Request;
        string raw;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8)) raw = await reader.ReadToEndAsync();
        JsonNode? body = null;
        var violations = new List<string>();

        var match = Api.Match(request.Method, request.Path.Value ?? "/");
        if (match is null)
        {
            await Finish(404, null, $"Not found: {request.Method} {request.Path} is not an operation of the Qdrant API", null);
            return;
        }
        var (operation, parameters) = match.Value;

        if (ApiKey is not null && operation.Id is not ("readyz" or "livez" or "healthz" or "root") && request.Headers["api-key"] != ApiKey)
        {
            await Finish(401, null, "Must provide an API key or an Authorization bearer token", operation);
            return;
        }

        foreach (var (key, values) in request.Query)
        {
            var declared = operation.QueryParameters.FirstOrDefault(p => p.GetProperty("name").GetString() == key);
            if (declared.ValueKind == JsonValueKind.Undefined) { violations.Add($"query parameter '{key}' is not declared"); continue; }
            violations.AddRange(ValidateQueryValue(values.ToString(), declared.GetProperty("schema"), key));
        }

        if (operation.RequestSchema is { } schema)
        {
            if (raw.Length == 0) violations.Add("request body is missing");
            else
            {
                try
                {
                    using var json = JsonDocument.Parse(raw);
                    body = JsonNode.Parse(raw);
                    violations.AddRange(Api.Validator.Validate(json.RootElement, schema));
                }
                catch (JsonException ex) { violations.Add("body is not JSON: " + ex.Message); }
            }
        }
        else if (raw.Length > 0) violations.Add("this operation takes no request body");

        if (violations.Count > 0)
        {
            foreach (var v in violations) Violations.Enqueue($"{operation.Id}: {v}");
            await Finish(400, null, "Format error in JSON body: " + string.Join("; ", violations), operation, body, violations);
            return;
        }

        if (_faults.TryDequeue(out var fault))
        {
            if (fault.RetryAfter is { } after) context.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString();
            await Finish(fault.Status, null, fault.Error, operation, body);
            return;
        }

        if (operation.Id == "readyz")
        {
            context.Response.StatusCode = Ready ? 200 : 503;
            context.Response.ContentType = "text/plain";
            Requests.Enqueue(new RecordedRequest(request.Method, request.Path, request.QueryString.Value ?? "", operation.Id, null, context.Response.StatusCode));
            await context.Response.WriteAsync(Ready ? "all shards are ready" : "some shards are not ready");
            return;
        }

        var reply = State.Handle(operation.Id, parameters, body, QdrantFakeOperations.IsTrue(request.Query["wait"]))
                    ?? QdrantReply.Fail(501, $"The in-test Qdrant server does not implement {operation.Id}");
        await Finish(reply.Status, reply.Result, reply.Error, operation, body);

        async Task Finish(int status, JsonNode? result, string? error, QdrantOperation? op, JsonNode? requestBody = null, IReadOnlyList<string>? requestViolations = null)
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var envelope = error is null
                ? new JsonObject { ["result"] = result, ["status"] = "ok", ["time"] = seconds }
                : new JsonObject { ["status"] = new JsonObject { ["error"] = error }, ["time"] = seconds };
            if (op is not null && status == 200 && op.ResponseSchema(200) is { } responseSchema)
            {
                using var json = JsonDocument.Parse(envelope.ToJsonString());
                foreach (var v in Api.Validator.Validate(json.RootElement, responseSchema)) Violations.Enqueue($"{op.Id} response: {v}");
            }
            Requests.Enqueue(new RecordedRequest(request.Method, request.Path, request.QueryString.Value ?? "", op?.Id, requestBody, status)
            {
                Violations = requestViolations ?? [],
            });
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(envelope.ToJsonString());
        }
    }

    private IEnumerable<string> ValidateQueryValue(string value, JsonElement schema, string name)
    {
        var candidates = new List<string> { JsonSerializer.Serialize(value) };
        if (value is "true" or "false" || double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _)) candidates.Insert(0, value);
        List<string>? errors = null;
        foreach (var candidate in candidates)
        {
            using var json = JsonDocument.Parse(candidate);
            errors = Api.Validator.Validate(json.RootElement, schema, $"query.{name}");
            if (errors.Count == 0) return [];
        }
        return errors!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
