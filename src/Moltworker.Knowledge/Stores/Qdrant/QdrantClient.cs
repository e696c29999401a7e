using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Http;
using Moltworker.Knowledge.Options;
using Polly;

namespace Moltworker.Knowledge.Stores.Qdrant;

/// <summary>
/// A thin client of Qdrant's REST API (the operations the knowledge store needs). Bodies are built to be valid
/// under Qdrant's OpenAPI document; answers are unwrapped from the <c>{"result", "status", "time"}</c> envelope and
/// errors surface as <see cref="QdrantException"/> with Qdrant's message. Transient failures are retried (Polly).
/// </summary>
public sealed partial class QdrantClient
{
    private readonly HttpClient _http;
    private readonly QdrantOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Uri _base;

    public QdrantClient(HttpClient http, QdrantOptions options, TimeProvider time, ILogger<QdrantClient> logger)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _base = new Uri((options.Url ?? throw new InvalidOperationException("Moltworker:Knowledge:Qdrant:Url is not set.")).TrimEnd('/') + "/");
        _time = time;
        _pipeline = HttpRetryPipeline.Build<QdrantException>(options.MaxRetries, options.RetryBaseDelay, null, time,
            (attempt, _, error) => LogRetry(_logger, attempt, error.Message));
    }

    public string Collection => _options.Collection;

    private string C => Uri.EscapeDataString(_options.Collection);

    public async Task<bool> CollectionExistsAsync(CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, $"collections/{C}/exists", null, ct))?["exists"]?.GetValue<bool>() == true;

    public Task CreateCollectionAsync(JsonObject body, CancellationToken ct) => SendAsync(HttpMethod.Put, $"collections/{C}", body, ct);

    public Task DeleteCollectionAsync(CancellationToken ct) => SendAsync(HttpMethod.Delete, $"collections/{C}", null, ct);

    public Task CreatePayloadIndexAsync(string field, string schema, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"collections/{C}/index?wait=true", new JsonObject { ["field_name"] = field, ["field_schema"] = schema }, ct);

    public Task UpsertAsync(JsonArray points, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"collections/{C}/points?wait=true", new JsonObject { ["points"] = points }, ct);

    public Task DeleteByFilterAsync(JsonObject filter, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"collections/{C}/points/delete?wait=true", new JsonObject { ["filter"] = filter }, ct);

    public async Task<JsonArray> QueryAsync(JsonObject request, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, $"collections/{C}/points/query", request, ct))?["points"]?.AsArray() ?? [];

    public async Task<(JsonArray Points, JsonNode? Next)> ScrollAsync(JsonObject request, CancellationToken ct)
    {
        var result = await SendAsync(HttpMethod.Post, $"collections/{C}/points/scroll", request, ct);
        return (result?["points"]?.AsArray() ?? [], result?["next_page_offset"]?.DeepClone());
    }

    public async Task<long> CountAsync(JsonObject? filter, CancellationToken ct)
    {
        var body = new JsonObject { ["exact"] = true };
        if (filter is not null) body["filter"] = filter;
        return (await SendAsync(HttpMethod.Post, $"collections/{C}/points/count", body, ct))?["count"]?.GetValue<long>() ?? 0;
    }

    /// <summary>GET /readyz: true when Qdrant answers 200.</summary>
    public async Task<bool> ReadyAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, "readyz"));
        AddKey(request);
        using var response = await _http.SendAsync(request, ct);
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        var json = body?.ToJsonString();
        return await _pipeline.ExecuteAsync(async token => await SendOnceAsync(method, path, json, token), ct);
    }

    private async Task<JsonNode?> SendOnceAsync(HttpMethod method, string path, string? json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path));
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        AddKey(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        HttpResponseMessage response;
        try { response = await _http.SendAsync(request, timeout.Token); }
        catch (Exception ex) when (HttpFailure.FromException(ex, ct) is { } failure)
        {
            throw failure.Kind == HttpFailureKind.Timeout
                ? new QdrantException($"Qdrant did not answer {method} /{path} within {_options.RequestTimeout.TotalSeconds:0} s.", null, failure.Transient, ex)
                : new QdrantException($"Qdrant at {_base} cannot be reached: {ex.Message}", null, failure.Transient, ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? envelope = null;
            try { envelope = text.Length > 0 ? JsonNode.Parse(text) : null; }
            catch (JsonException) { }
            if (response.IsSuccessStatusCode) return envelope?["result"];

            var status = response.StatusCode;
            var error = envelope?["status"]?["error"]?.GetValue<string>() ?? (text.Length > 300 ? text[..300] : text);
            var failure = HttpFailure.FromResponse(response, _time);
            throw new QdrantException($"Qdrant answered {(int)status} to {method} /{path.Split('?')[0]}: {error}", status, failure.Transient)
            {
                RetryAfter = failure.RetryAfter,
            };
        }
    }

    private void AddKey(HttpRequestMessage request)
    {
        if (!string.IsNullOrWhiteSpace(_options.ApiKey)) request.Headers.Add("api-key", _options.ApiKey);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Qdrant request failed; retry {Attempt}: {Reason}")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason);
}
