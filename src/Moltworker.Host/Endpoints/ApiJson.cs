using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Moltworker.Host.Endpoints;

/// <summary>Reads a JSON request body of an <c>/api</c> route: 415 when it is not JSON, 400 naming the fault when it does
/// not parse, 413 when it is over a size limit (checked on <c>Content-Length</c> and while reading).</summary>
public static class ApiJson
{
    /// <param name="maxBytes">The largest body read; the server's default when null.</param>
    /// <param name="tooLarge">The 413 problem's detail (which setting to raise).</param>
    public static async Task<(T? Body, IResult? Refusal)> ReadAsync<T>(HttpContext context, long? maxBytes, string? tooLarge, CancellationToken ct) where T : class
    {
        var http = context.Request;
        if (!http.HasJsonContentType()) return (null, ApiProblems.UnsupportedMediaType("the body must be JSON (Content-Type: application/json)"));
        if (maxBytes is { } limit)
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
            if (http.ContentLength > limit) return (null, ApiProblems.TooLarge(tooLarge ?? $"the body must be at most {limit} bytes"));
        }
        try
        {
            var body = await http.ReadFromJsonAsync<T>(ct);
            return body is null ? (null, ApiProblems.BadRequest("the body must be a JSON object")) : (body, null);
        }
        catch (JsonException ex) { return (null, ApiProblems.BadRequest($"the body is not valid JSON: {ex.Message}")); }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiProblems.TooLarge(tooLarge ?? $"the body must be at most {maxBytes} bytes"));
        }
    }
}
