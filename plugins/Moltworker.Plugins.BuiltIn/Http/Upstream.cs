using System.Net;
using System.Text;
using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Http;

/// <summary>
/// Sends one request with a timeout and a size cap and turns transport failures into <see cref="ToolException"/>s
/// the model can read ("weather service unreachable: …"). Cancellation by the caller propagates unchanged.
/// </summary>
internal static class Upstream
{
    public static async Task<UpstreamResponse> SendAsync(
        HttpClient client, HttpRequestMessage request, UpstreamSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var (body, truncated, bytes) = await ReadCappedAsync(response.Content, settings.MaxBytes, linked.Token).ConfigureAwait(false);
            return new UpstreamResponse(response.StatusCode, response.ReasonPhrase, response.Headers, response.Content.Headers, body, truncated, bytes);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolException($"{settings.Service} unreachable: no answer within {Seconds(settings.Timeout)} s", transient: true);
        }
        catch (HttpRequestException ex) when (ex.InnerException is ToolException refusal)
        {
            throw refusal;
        }
        catch (HttpRequestException ex)
        {
            throw new ToolException($"{settings.Service} unreachable: {ex.Message}", transient: true, ex);
        }
        catch (IOException ex)
        {
            throw new ToolException($"{settings.Service} unreachable: {ex.Message}", transient: true, ex);
        }
    }

    /// <summary>Maps a non-success status to a readable failure: 429 and exhausted rate limits and 5xx are transient.</summary>
    public static void EnsureSuccess(UpstreamResponse response, UpstreamSettings settings, TimeProvider time, string? notFound = null)
    {
        if (response.IsSuccess) return;
        var code = (int)response.Status;
        var wait = RetryAfter.From(response.Headers, time);
        if (response.Status == HttpStatusCode.TooManyRequests || (response.Status == HttpStatusCode.Forbidden && RetryAfter.Exhausted(response.Headers)))
        {
            var when = wait is { } w ? $"; try again in {Seconds(w)} s" : "; try again later";
            throw new ToolException($"{settings.Service} rate limit reached (HTTP {code}){when}", transient: true) { RetryAfter = wait };
        }
        if (code >= 500)
            throw new ToolException($"{settings.Service} unreachable: HTTP {code} {response.ReasonPhrase}".TrimEnd(), transient: true) { RetryAfter = wait };
        if (response.Status == HttpStatusCode.NotFound)
            throw new ToolException(notFound ?? $"{settings.Service}: not found (HTTP 404)");
        throw new ToolException($"{settings.Service} refused the request: HTTP {code} {response.ReasonPhrase}{Detail(response.Body)}".TrimEnd());
    }

    /// <summary>Fails when a body that must be complete (JSON, XML) went over the cap.</summary>
    public static void EnsureComplete(UpstreamResponse response, UpstreamSettings settings)
    {
        if (response.Truncated)
            throw new ToolException($"{settings.Service} answered with more than {settings.MaxBytes} bytes; not reading it");
    }

    public static string Seconds(TimeSpan value) => Math.Ceiling(value.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Detail(string body)
    {
        var text = body.Trim();
        if (text.Length == 0) return "";
        return ": " + (text.Length > 200 ? text[..200] + "…" : text);
    }

    private static async Task<(string Body, bool Truncated, long Bytes)> ReadCappedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        var truncated = false;
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            var room = maxBytes - buffer.Length;
            if (read > room)
            {
                buffer.Write(chunk, 0, (int)Math.Max(0, room));
                truncated = true;
                break;
            }
            buffer.Write(chunk, 0, read);
        }
        return (Decode(buffer, content.Headers.ContentType?.CharSet), truncated, buffer.Length);
    }

    private static string Decode(MemoryStream buffer, string? charset)
    {
        var encoding = Encoding.UTF8;
        if (!string.IsNullOrWhiteSpace(charset))
        {
            try { encoding = Encoding.GetEncoding(charset.Trim('"', ' ')); }
            catch (ArgumentException) { encoding = Encoding.UTF8; }
        }
        return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
