using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Http;
using Moltworker.Knowledge.Options;
using OpenAI;
using Polly.Timeout;

namespace Moltworker.Knowledge.Embeddings;

/// <summary>
/// Embeddings from any OpenAI-compatible <c>POST {BaseUrl}/embeddings</c> (OpenAI, Ollama, vLLM, LM Studio, proxies),
/// through Microsoft.Extensions.AI: the official OpenAI client's <c>EmbeddingClient.AsIEmbeddingGenerator()</c> over
/// the given HttpClient, with the SDK's own retries off: the HttpClient retries (<see cref="EmbeddingServiceCollectionExtensions"/>).
/// This wrapper only turns what still fails into <see cref="EmbeddingHttpException"/> with the endpoint's message;
/// batching is <see cref="BatchingEmbeddingGenerator"/>'s job.
/// </summary>
public sealed class OpenAIEmbeddingGenerator(EmbeddingOptions options, HttpClient http) : DelegatingEmbeddingGenerator<string, Embedding<float>>(Create(options, http))
{
    /// <summary>The retries of the embeddings HttpClient: 408, 429, 5xx, network errors and timeouts, Retry-After honoured.</summary>
    public static HttpRetrySettings RetrySettings(EmbeddingOptions options) =>
        new(options.MaxRetries, options.RetryBaseDelay, options.RetryMaxDelay, options.RequestTimeout);

    private static IEmbeddingGenerator<string, Embedding<float>> Create(EmbeddingOptions options, HttpClient http)
    {
        var baseUrl = (options.BaseUrl ?? throw new InvalidOperationException("Moltworker:Embeddings:BaseUrl is not set.")).TrimEnd('/');
        var model = options.Model ?? throw new InvalidOperationException("Moltworker:Embeddings:Model is not set.");
        // Local servers take no key; the client needs a non-empty credential, which they ignore.
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey;
        var client = new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(baseUrl),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = RetrySettings(options).WholeCallBudget,
        });
        return client.GetEmbeddingClient(model).AsIEmbeddingGenerator(options.Dimensions);
    }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? generationOptions = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GenerateAsync(values, generationOptions, cancellationToken);
        }
        catch (ClientResultException ex) when (ex.Status > 0)
        {
            var response = ex.GetRawResponse();
            return Throw(new EmbeddingHttpException(
                $"The embeddings endpoint answered {ex.Status} {(HttpStatusCode)ex.Status}: {Detail(response?.Content?.ToString(), ex.Message)}",
                (HttpStatusCode)ex.Status, TransientHttpRetry.IsTransientStatus(ex.Status)));
        }
        catch (Exception ex) when (ex is ClientResultException or HttpRequestException or IOException)
        {
            return Throw(new EmbeddingHttpException($"The embeddings endpoint could not be reached: {ex.Message}", null, true, ex));
        }
        catch (Exception ex) when (ex is TimeoutRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Throw(new EmbeddingHttpException($"The embeddings request timed out after {options.RequestTimeout.TotalSeconds:0} s.", null, true, ex));
        }
    }

    private static GeneratedEmbeddings<Embedding<float>> Throw(EmbeddingHttpException exception) => throw exception;

    /// <summary>The error message of an OpenAI-style error body, else the body (or the client's message), at most 300 characters.</summary>
    private static string Detail(string? body, string fallback)
    {
        string detail;
        try { detail = (body is { Length: > 0 } ? JsonNode.Parse(body)?["error"]?["message"]?.GetValue<string>() : null) ?? body ?? fallback; }
        catch (JsonException) { detail = body ?? fallback; }
        if (string.IsNullOrWhiteSpace(detail)) detail = fallback;
        return detail.Length > 300 ? detail[..300] : detail;
    }
}
