using System.ClientModel;
using System.Text.Json;
using Moltworker.Kernel.Http;
using Polly.Timeout;

namespace Moltworker.Kernel.Models;

/// <summary>What a failed model call means: only configuration can fix it (401, 403, 404), it may pass (429, 5xx, 408,
/// 409, network errors, timeouts: the next fallback model is tried), or the endpoint rejected this request (another 4xx).</summary>
internal enum ModelFailureKind { Configuration, Transient, Rejected }

/// <summary>
/// Reads an exception of the OpenAI SDK or the HTTP stack under it (after the HTTP retries gave up) as a
/// <see cref="ModelFailureKind"/> and a message that quotes the endpoint's own <c>error.message</c>, never the API key.
/// The SDK's <see cref="ClientResultException"/> is not kept as the cause: its message quotes the whole response
/// body, which may echo the key.
/// </summary>
internal sealed record ModelFailure(ModelFailureKind Kind, string Message, Exception? Cause)
{
    /// <summary>Null for the caller's own cancellation and for exceptions that are no model failure.</summary>
    public static ModelFailure? Of(Exception exception, string? apiKey, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException when callerToken.IsCancellationRequested => null,
        ClientResultException { Status: 401 or 403 } e => new(ModelFailureKind.Configuration,
            $"The model endpoint refused the request ({e.Status}): check Moltworker:Llm:ApiKey and Moltworker:Llm:BaseUrl. {Detail(e, apiKey)}", null),
        ClientResultException { Status: 404 } e => new(ModelFailureKind.Configuration,
            $"The model endpoint answered 404: check Moltworker:Llm:Model and Moltworker:Llm:BaseUrl. {Detail(e, apiKey)}", null),
        ClientResultException { Status: > 0 } e => new(
            TransientHttpRetry.IsTransientStatus(e.Status, conflictIsTransient: true) ? ModelFailureKind.Transient : ModelFailureKind.Rejected,
            $"The model endpoint answered {e.Status}. {Detail(e, apiKey)}", null),
        ClientResultException e => new(ModelFailureKind.Transient, $"The model endpoint is unreachable: {e.InnerException?.Message ?? e.Message}", e.InnerException),
        TimeoutRejectedException or OperationCanceledException or TimeoutException => new(ModelFailureKind.Transient, "The model endpoint timed out.", exception),
        HttpRequestException or IOException => new(ModelFailureKind.Transient, $"The model endpoint is unreachable: {exception.Message}", exception),
        _ => null,
    };

    /// <summary>The endpoint's own words: <c>error.message</c> (and <c>code</c>) of an OpenAI-style body, else the body, shortened, the key masked.</summary>
    private static string Detail(ClientResultException ex, string? apiKey)
    {
        var body = ex.GetRawResponse()?.Content?.ToString() ?? "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
            {
                var message = error.ValueKind == JsonValueKind.String ? error.GetString()
                    : error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() : null;
                var code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                if (!string.IsNullOrWhiteSpace(message)) body = code is null ? message : $"{message} ({code})";
            }
        }
        catch (JsonException) { }
        // Some endpoints echo the key they refused; it must not reach logs or users.
        if (apiKey is { Length: > 0 }) body = body.Replace(apiKey, "***", StringComparison.Ordinal);
        return body.Length > 300 ? body[..300] + "…" : body;
    }
}
