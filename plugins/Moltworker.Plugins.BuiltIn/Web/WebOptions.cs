using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Web;

/// <summary><c>Moltworker:Plugins:Web</c></summary>
[PluginOptions]
public sealed class WebOptions
{
    /// <summary>Bytes read from a response at most; the rest is cut with a note.</summary>
    public long MaxBytes { get; set; } = 1024 * 1024;

    /// <summary>Characters of text handed to the model at most (after HTML is turned into text).</summary>
    public int MaxChars { get; set; } = 20_000;

    /// <summary>Limit of one request (each redirect hop).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Redirects followed, each target checked again by the SSRF guard and the allow and deny lists.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>When not empty, only URLs starting with one of these prefixes are fetched.</summary>
    public List<string> AllowPrefixes { get; set; } = [];

    /// <summary>URLs starting with one of these prefixes are refused (checked after the allowlist).</summary>
    public List<string> DenyPrefixes { get; set; } = [];

    /// <summary>The <c>User-Agent</c> header.</summary>
    public string UserAgent { get; set; } = "Moltworker/0.1 (+fetch_url)";

    /// <summary>TEST ONLY: a loopback port the SSRF guard lets through (so tests can serve the first hop on
    /// 127.0.0.1). Never set this in production; 0 (the default) allows no loopback at all.</summary>
    public int TestOnlyAllowLoopbackPort { get; set; }
}
