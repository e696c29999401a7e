using System.ComponentModel;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Http;

namespace Moltworker.Plugins.BuiltIn.Web;

/// <summary><c>fetch_url</c>: GET or HEAD a public web page, HTML turned into text, behind an SSRF guard.</summary>
[Plugin("Web", Description = "Fetches public web pages and APIs (GET/HEAD) as readable text.")]
public sealed partial class WebPlugin : IDisposable
{
    private readonly WebOptions _options;
    private readonly ILogger<WebPlugin> _logger;
    private readonly TimeProvider _time;
    private readonly SsrfGuard _guard;
    private readonly UrlRules _rules;
    private readonly HttpClient _client;
    private readonly UpstreamSettings _settings;

    public WebPlugin(WebOptions options, ILogger<WebPlugin> logger, TimeProvider time)
        : this(options, logger, time, SsrfGuard.ResolveWithDns)
    {
    }

    /// <summary>Test seam: a resolver instead of DNS (e.g. to simulate rebinding between check and connect).</summary>
    internal WebPlugin(WebOptions options, ILogger<WebPlugin> logger, TimeProvider time, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _guard = new SsrfGuard(new AddressPolicy(options.TestOnlyAllowLoopbackPort), resolve);
        _rules = new UrlRules(options.AllowPrefixes, options.DenyPrefixes);
        _settings = new UpstreamSettings("web fetch", options.Timeout, options.MaxBytes);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, ct) => _guard.ConnectAsync(context.DnsEndPoint, ct),
        };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        if (options.TestOnlyAllowLoopbackPort > 0) LogTestSeam(options.TestOnlyAllowLoopbackPort);
    }

    [Tool("fetch_url", ParallelSafe = true, CacheSeconds = 300)]
    [Description("Fetches a public http(s) URL with GET or HEAD. HTML comes back as readable text, JSON and plain text as they are; long pages are cut with a note.")]
    public async Task<string> FetchUrlAsync(
        [Description("Absolute http or https URL")] string url,
        [Description("GET (default) or HEAD")] string method = "GET",
        CancellationToken cancellationToken = default)
    {
        var verb = method.Trim().ToUpperInvariant() switch
        {
            "GET" or "" => HttpMethod.Get,
            "HEAD" => HttpMethod.Head,
            _ => throw new ToolException($"fetch_url only does GET and HEAD, not {method}"),
        };
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ToolException($"not an absolute http(s) URL: {url}");

        for (var hop = 0; ; hop++)
        {
            await CheckAsync(uri, cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(verb, uri);
            request.Headers.UserAgent.ParseAdd(_options.UserAgent);
            request.Headers.Accept.ParseAdd("text/html,application/json,text/plain;q=0.9,*/*;q=0.5");
            var started = _time.GetTimestamp();
            UpstreamResponse response;
            try
            {
                response = await Upstream.SendAsync(_client, request, _settings, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (ToolException ex)
            {
                LogFailed(verb.Method, Redact(uri), ex.Message);
                throw;
            }
            LogFetched(verb.Method, Redact(uri), (int)response.Status, response.BytesRead, (long)_time.GetElapsedTime(started).TotalMilliseconds);

            if (response.IsRedirect && response.Headers.Location is { } location)
            {
                if (hop >= _options.MaxRedirects)
                    throw new ToolException($"too many redirects (more than {_options.MaxRedirects}) starting from {url}");
                uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (uri.Scheme is not ("http" or "https"))
                    throw new ToolException($"refused redirect to a non-http URL: {uri}");
                continue;
            }
            Upstream.EnsureSuccess(response, _settings, _time, $"nothing at {uri} (HTTP 404)");
            return Format(uri, verb, response);
        }
    }

    private async Task CheckAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            if (_rules.Refusal(uri) is { } why) throw new SsrfRefusedException(why);
            await _guard.CheckAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (SsrfRefusedException ex)
        {
            LogRefused(Redact(uri), ex.Message);
            throw;
        }
    }

    private string Format(Uri uri, HttpMethod verb, UpstreamResponse response)
    {
        var head = new StringBuilder()
            .Append("URL: ").Append(uri.AbsoluteUri).Append('\n')
            .Append("Status: ").Append((int)response.Status).Append(' ').Append(response.ReasonPhrase).Append('\n');
        if (response.MediaType is { } type) head.Append("Content-Type: ").Append(type).Append('\n');
        if (verb == HttpMethod.Head)
        {
            if (response.ContentHeaders?.ContentLength is { } length) head.Append("Content-Length: ").Append(length).Append('\n');
            if (response.ContentHeaders?.LastModified is { } modified) head.Append("Last-Modified: ").Append(modified.ToString("R")).Append('\n');
            return head.ToString().TrimEnd();
        }
        if (!IsText(response.MediaType))
            return head.Append("\n[binary content (").Append(response.MediaType).Append(", ").Append(response.BytesRead)
                .Append(response.Truncated ? "+" : "").Append(" bytes) not shown]").ToString();
        var isHtml = response.MediaType is "text/html" or "application/xhtml+xml" ||
                     (response.MediaType is null && response.Body.TrimStart().StartsWith('<'));
        var text = isHtml ? HtmlText.Convert(response.Body, uri) : response.Body;
        var cut = false;
        if (text.Length > _options.MaxChars)
        {
            text = text[.._options.MaxChars];
            cut = true;
        }
        head.Append('\n').Append(text);
        if (response.Truncated)
            head.Append("\n\n[truncated: the response is larger than ").Append(_options.MaxBytes).Append(" bytes; only the start was read]");
        else if (cut)
            head.Append("\n\n[truncated: showing the first ").Append(_options.MaxChars).Append(" characters]");
        return head.ToString();
    }

    private static bool IsText(string? mediaType) =>
        mediaType is null || mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) ||
        mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) || mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase) ||
        mediaType.Contains("javascript", StringComparison.OrdinalIgnoreCase);

    /// <summary>Logs scheme, host and path only: query strings may carry keys.</summary>
    private static string Redact(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "fetch_url {Method} {Url} -> {Status}, {Bytes} bytes in {Milliseconds} ms")]
    private partial void LogFetched(string method, string url, int status, long bytes, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "fetch_url {Method} {Url} failed: {Reason}")]
    private partial void LogFailed(string method, string url, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "fetch_url lets loopback port {Port} through the SSRF guard (Moltworker:Plugins:Web:TestOnlyAllowLoopbackPort is for tests only)")]
    private partial void LogTestSeam(int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "fetch_url refused {Url}: {Reason}")]
    private partial void LogRefused(string url, string reason);
}
