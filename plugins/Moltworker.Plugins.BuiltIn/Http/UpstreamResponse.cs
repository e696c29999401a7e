using System.Net;
using System.Net.Http.Headers;

namespace Moltworker.Plugins.BuiltIn.Http;

/// <summary>An upstream answer read into memory (at most the configured number of bytes).</summary>
internal sealed record UpstreamResponse(
    HttpStatusCode Status,
    string? ReasonPhrase,
    HttpResponseHeaders Headers,
    HttpContentHeaders? ContentHeaders,
    string Body,
    bool Truncated,
    long BytesRead)
{
    public bool IsSuccess => (int)Status is >= 200 and <= 299;
    public bool IsRedirect => (int)Status is 301 or 302 or 303 or 307 or 308;
    public string? MediaType => ContentHeaders?.ContentType?.MediaType;
}
