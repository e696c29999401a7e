using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Moltworker.Kernel.Http;
using Moltworker.Knowledge.Options;
using Polly.Timeout;

namespace Moltworker.Knowledge.Stores.Qdrant;

/// <summary>
/// A thin client of Qdrant's REST API (the operations the knowledge store needs). Bodies are built to be valid
/// under Qdrant's OpenAPI document; answers are unwrapped from the <c>{"result", "status", "time"}</c> envelope and
/// errors surface as <see cref="QdrantException"/> with Qdrant's message. Transient failures are retried by the
/// HttpClient it is given (the named client <see cref="HttpClientName"/>: Microsoft.Extensions.Http.Resilience with
/// <see cref="RetrySettings"/>), which also limits each attempt to <see cref="QdrantOptions.RequestTimeout"/>.
/// </summary>
public sealed class QdrantClient
{
    public const string HttpClientName = "Moltworker.Qdrant";

    private readonly HttpClient _http;
    private readonly QdrantOptions _options;
    private readonly Uri _base;

    public QdrantClient(HttpClient http, QdrantOptions options)
    {
        _http = http;
        _options = options;
        _base = new Uri((options.Url ?? throw new InvalidOperationException("Moltworker:Knowledge:Qdrant:Url is not set.")).TrimEnd('/') + "/");
    }

    /// <summary>408, 429, 5xx, network errors and timeouts; 409 means "already exists" to Qdrant and is not retried.</summary>
    public static HttpRetrySettings RetrySettings(QdrantOptions options) =>
        new(options.MaxRetries, options.RetryBaseDelay, null, options.RequestTimeout);

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

    /// <summary>GET /readyz: true when Qdrant answers 200. Not retried: a probe answers at once.</summary>
    public async Task<bool> ReadyAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, "readyz"));
        request.Options.Set(TransientHttpRetry.NoRetry, true);
        AddKey(request);
        using var response = await _http.SendAsync(request, ct);
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path));
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        AddKey(request);
        HttpResponseMessage response;
        try { response = await _http.SendAsync(request, ct); }
        catch (Exception ex) when (ex is TimeoutRejectedException || (ex is OperationCanceledException or TimeoutException && !ct.IsCancellationRequested))
        {
            throw new QdrantException($"Qdrant did not answer {method} /{path} within {_options.RequestTimeout.TotalSeconds:0} s.", null, true, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new QdrantException($"Qdrant at {_base} cannot be reached: {ex.Message}", null, true, ex);
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
            throw new QdrantException($"Qdrant answered {(int)status} to {method} /{path.Split('?')[0]}: {error}", status,
                TransientHttpRetry.IsTransientStatus((int)status));
        }
    }

    private void AddKey(HttpRequestMessage request)
    {
        if (!string.IsNullOrWhiteSpace(_options.ApiKey)) request.Headers.Add("api-key", _options.ApiKey);
    }
}
