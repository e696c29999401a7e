using System.Net.Http.Headers;
using System.Text.Json;

namespace Moltworker.Kernel.Models;

/// <summary>
/// Asks <c>GET &lt;BaseUrl&gt;/models</c> and tells network reachability apart from "this looks like an
/// OpenAI-compatible API": a 404 there usually means a base URL without its <c>/v1</c>, a 200 with a web page a URL
/// that points at something else, a 401/403 a key problem. Only the start of the body is read (lists can be large).
/// </summary>
public static class ModelEndpointProbe
{
    private const int PrefixBytes = 64 * 1024;

    public static async Task<ModelEndpointCheck> CheckAsync(HttpClient http, string? baseUrl, string? apiKey, TimeProvider time, CancellationToken cancellationToken)
    {
        var root = (string.IsNullOrWhiteSpace(baseUrl) ? "https://api.openai.com/v1" : baseUrl).TrimEnd('/');
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{root}/models");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (!string.IsNullOrWhiteSpace(apiKey)) request.Headers.Authorization = new("Bearer", apiKey);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            var shown = Shown(root);
            switch (status)
            {
                case 401 or 403:
                    return new(time.GetUtcNow(), true, status, null, $"the endpoint refused the API key ({status})",
                        $"The model endpoint answered {status}: check Moltworker:Llm:ApiKey, and that Moltworker:Llm:BaseUrl ({shown}) is the provider the key is for.");
                case 404:
                    return new(time.GetUtcNow(), true, status, false, $"GET /models answered 404: the base URL does not look like an OpenAI-compatible API",
                        $"Moltworker:Llm:BaseUrl ({shown}) answered 404 for /models. {V1Advice(root, shown)}");
                case < 200 or >= 300:
                    return new(time.GetUtcNow(), true, status, null, $"GET /models answered {status}", null);
            }
            var isList = await IsModelListAsync(response, cancellationToken);
            if (isList is null) return new(time.GetUtcNow(), true, status, null, $"GET /models answered {status} but the body broke off", null);
            if (isList.Value) return new(time.GetUtcNow(), true, status, true, null, null);
            var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
            return new(time.GetUtcNow(), true, status, false, $"GET /models answered {status} but not with an OpenAI model list ({type})",
                $"Moltworker:Llm:BaseUrl ({shown}) does not answer /models like an OpenAI-compatible API. {V1Advice(root, shown)}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new(time.GetUtcNow(), false, null, null, ex.Message, null);
        }
        catch (UriFormatException)
        {
            return new(time.GetUtcNow(), false, null, null, "Moltworker:Llm:BaseUrl is not a valid URL",
                "Set Moltworker:Llm:BaseUrl to the endpoint up to and including /v1, e.g. http://localhost:11434/v1.");
        }
    }

    private static string V1Advice(string root, string shown) =>
        root.EndsWith("/v1", StringComparison.OrdinalIgnoreCase)
            ? "Check the URL: it should be the endpoint up to and including /v1."
            : $"OpenAI-compatible endpoints usually end in /v1: try {shown}/v1.";

    /// <summary>The base URL for messages: scheme, host, port and path; no user info, query or fragment.</summary>
    private static string Shown(string root) =>
        Uri.TryCreate(root, UriKind.Absolute, out var uri) ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/') : "the configured URL";

    /// <summary>A JSON object with a top-level <c>data</c> array, judged from the first 64 KB; null when the body broke off.</summary>
    private static async Task<bool?> IsModelListAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[PrefixBytes];
        var length = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0) length += read;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return null;
        }
        return LooksLikeModelList(buffer.AsSpan(0, length), isFinalBlock: length < buffer.Length);
    }

    private static bool LooksLikeModelList(ReadOnlySpan<byte> json, bool isFinalBlock)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock, default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read())
            {
                if (reader.CurrentDepth != 1 || reader.TokenType != JsonTokenType.PropertyName) continue;
                if (!reader.ValueTextEquals("data"u8)) continue;
                return !reader.Read() || reader.TokenType == JsonTokenType.StartArray; // cut off right after "data": give it the benefit
            }
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
