using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Upstreams;

/// <summary>Writes the failure a <see cref="UpstreamFault"/> asks for.</summary>
internal static class UpstreamFaults
{
    public static async Task ApplyAsync(HttpContext context, UpstreamFault fault, RequestDelegate next)
    {
        var response = context.Response;
        switch (fault.Kind)
        {
            case UpstreamFaultKind.NotFound:
                response.StatusCode = 404;
                await response.WriteAsJsonAsync(new { message = "Not Found" }).ConfigureAwait(false);
                break;
            case UpstreamFaultKind.Unauthorized:
                response.StatusCode = 401;
                response.Headers.WWWAuthenticate = "Bearer realm=\"upstream\"";
                await response.WriteAsync("Unauthorized").ConfigureAwait(false);
                break;
            case UpstreamFaultKind.TooManyRequests:
                response.StatusCode = 429;
                response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await response.WriteAsJsonAsync(new { status = new { error_code = 429, error_message = "You've exceeded the Rate Limit." } }).ConfigureAwait(false);
                break;
            case UpstreamFaultKind.RateLimitExhausted:
                response.StatusCode = 403;
                response.Headers["X-RateLimit-Limit"] = "60";
                response.Headers["X-RateLimit-Remaining"] = "0";
                response.Headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddSeconds(fault.RetryAfterSeconds).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                await response.WriteAsJsonAsync(new { message = "API rate limit exceeded" }).ConfigureAwait(false);
                break;
            case UpstreamFaultKind.ServerError:
                response.StatusCode = 500;
                await response.WriteAsync("upstream exploded").ConfigureAwait(false);
                break;
            case UpstreamFaultKind.MalformedJson:
                response.ContentType = "application/json";
                await response.WriteAsync("{\"results\": [ {\"name\": \"Berl").ConfigureAwait(false);
                break;
            case UpstreamFaultKind.Oversized:
                await WriteOversizedAsync(context, fault).ConfigureAwait(false);
                break;
            case UpstreamFaultKind.Rendezvous:
                try
                {
                    await fault.Meeting!.ArriveAsync(context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                await next(context).ConfigureAwait(false);
                break;
            case UpstreamFaultKind.Slow:
                try
                {
                    await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                await next(context).ConfigureAwait(false);
                break;
        }
    }

    private static async Task WriteOversizedAsync(HttpContext context, UpstreamFault fault)
    {
        var response = context.Response;
        var path = context.Request.Path.Value ?? "";
        var html = path.EndsWith(".html", StringComparison.Ordinal) || path.StartsWith("/web", StringComparison.Ordinal);
        response.ContentType = html ? "text/html; charset=utf-8" : "application/json";
        if (fault.WithContentLength) response.ContentLength = fault.Bytes;
        var line = System.Text.Encoding.ASCII.GetBytes(html ? "<p>0123456789 abcdefghij klmnopqrst uvwxyz</p>\n" : "[1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0],\n");
        var sent = 0L;
        try
        {
            while (sent < fault.Bytes)
            {
                var count = (int)Math.Min(line.Length, fault.Bytes - sent);
                await response.Body.WriteAsync(line.AsMemory(0, count), context.RequestAborted).ConfigureAwait(false);
                sent += count;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client stopped reading at its cap: expected.
        }
    }
}
