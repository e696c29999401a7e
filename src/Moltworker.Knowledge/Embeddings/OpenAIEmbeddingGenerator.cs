using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Http;
using Moltworker.Knowledge.Options;

namespace Moltworker.Knowledge.Embeddings;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over an OpenAI-compatible <c>POST {BaseUrl}/embeddings</c>
/// (OpenAI, Azure-compatible proxies, Ollama, vLLM, LM Studio...). One request per call; batching and retries
/// are the job of <see cref="BatchingEmbeddingGenerator"/> and <see cref="RetryingEmbeddingGenerator"/>.
/// </summary>
public sealed class OpenAIEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HttpClient _http;
    private readonly EmbeddingOptions _options;
    private readonly Uri _endpoint;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly TimeProvider _time;

    /// <param name="time">Reads a Retry-After date against this clock; the system clock when null.</param>
    public OpenAIEmbeddingGenerator(EmbeddingOptions options, HttpClient http, TimeProvider? time = null)
    {
        _options = options;
        _http = http;
        _time = time ?? TimeProvider.System;
        var baseUrl = (options.BaseUrl ?? throw new InvalidOperationException("Moltworker:Embeddings:BaseUrl is not set.")).TrimEnd('/');
        _endpoint = new Uri(baseUrl + "/embeddings");
        _metadata = new EmbeddingGeneratorMetadata("openai-compatible", new Uri(baseUrl), options.Model, options.Dimensions);
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToList();
        var model = options?.ModelId ?? _options.Model;
        var body = new JsonObject
        {
            ["model"] = model,
            ["input"] = new JsonArray(inputs.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
            ["encoding_format"] = "float",
        };
        if ((options?.Dimensions ?? _options.Dimensions) is { } dimensions) body["dimensions"] = dimensions;

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = JsonContent.Create(body) };
        if (!string.IsNullOrWhiteSpace(_options.ApiKey)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, timeout.Token);
        }
        catch (Exception ex) when (HttpFailure.FromException(ex, cancellationToken) is { } failure)
        {
            throw failure.Kind == HttpFailureKind.Timeout
                ? new EmbeddingHttpException($"The embeddings request timed out after {_options.RequestTimeout.TotalSeconds:0} s.", null, failure.Transient, ex)
                : new EmbeddingHttpException($"The embeddings endpoint could not be reached: {ex.Message}", null, failure.Transient, ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode) throw Failure(response, text);
            return Parse(text, inputs.Count, model);
        }
    }

    private EmbeddingHttpException Failure(HttpResponseMessage response, string text)
    {
        var status = response.StatusCode;
        var failure = HttpFailure.FromResponse(response, _time);
        string detail;
        try { detail = JsonNode.Parse(text)?["error"]?["message"]?.GetValue<string>() ?? text; }
        catch (JsonException) { detail = text; }
        if (detail.Length > 300) detail = detail[..300];
        return new EmbeddingHttpException($"The embeddings endpoint answered {(int)status} {status}: {detail}", status, failure.Transient)
        {
            RetryAfter = failure.RetryAfter,
        };
    }

    private static GeneratedEmbeddings<Embedding<float>> Parse(string text, int expected, string? model)
    {
        var root = JsonNode.Parse(text) ?? throw new EmbeddingHttpException("The embeddings endpoint returned an empty body.", null, false);
        var data = root["data"]?.AsArray() ?? throw new EmbeddingHttpException("The embeddings response has no 'data'.", null, false);
        var vectors = new float[expected][];
        foreach (var item in data)
        {
            var index = item?["index"]?.GetValue<int>() ?? -1;
            var values = item?["embedding"]?.AsArray();
            if (index < 0 || index >= expected || values is null)
                throw new EmbeddingHttpException("The embeddings response has an item without a valid index or embedding.", null, false);
            vectors[index] = values.Select(v => v!.GetValue<float>()).ToArray();
        }
        if (vectors.Any(v => v is null))
            throw new EmbeddingHttpException($"The embeddings response has {data.Count} embeddings for {expected} inputs.", null, false);

        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = model }));
        if (root["usage"] is JsonObject usage)
        {
            result.Usage = new UsageDetails
            {
                InputTokenCount = usage["prompt_tokens"]?.GetValue<long>(),
                TotalTokenCount = usage["total_tokens"]?.GetValue<long>(),
            };
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() { }
}
