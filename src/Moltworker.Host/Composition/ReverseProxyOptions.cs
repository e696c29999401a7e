namespace Moltworker.Host.Composition;

/// <summary><c>Moltworker:ReverseProxy</c>: honour <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> from a reverse proxy
/// (nginx, Caddy, Traefik) in front of the host, so client addresses, rate limits, links and webhook URLs are right.</summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "Moltworker:ReverseProxy";

    /// <summary>Read the forwarded headers (default false: they are ignored, as a host reached directly must do).</summary>
    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies whose headers are believed (e.g. <c>10.0.0.5</c>). Loopback is always believed;
    /// headers from any other sender are ignored.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of believed proxies in CIDR form (e.g. <c>172.16.0.0/12</c> for a container network).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a chain to unwrap (default 1: one proxy in front).</summary>
    public int ForwardLimit { get; set; } = 1;
}
