using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Moltworker.Host.Composition;

/// <summary>
/// Forwarded headers, when <see cref="ReverseProxyOptions.Enabled"/>: ASP.NET Core's forwarded-headers middleware, first
/// in the pipeline (a startup filter), believing only loopback and the configured proxies and networks.
/// </summary>
public static class ReverseProxySupport
{
    public static void AddReverseProxySupport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReverseProxyOptions>().Bind(configuration.GetSection(ReverseProxyOptions.Section))
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Moltworker:ReverseProxy:KnownProxies must be IP addresses.")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Moltworker:ReverseProxy:KnownNetworks must be CIDR networks (e.g. 10.0.0.0/8).")
            .Validate(o => o.ForwardLimit >= 1, "Moltworker:ReverseProxy:ForwardLimit must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            forwarded.ForwardLimit = proxy.Value.ForwardLimit;
            foreach (var address in proxy.Value.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(address));
            foreach (var network in proxy.Value.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        services.AddTransient<IStartupFilter, ForwardedHeadersFirst>();
    }

    private sealed class ForwardedHeadersFirst(IOptions<ReverseProxyOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (options.Value.Enabled) app.UseForwardedHeaders();
            next(app);
        };
    }
}
