using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Moltworker.Testing.Hosting;

/// <summary>
/// Starts an in-test Kestrel app on 127.0.0.1 with an ephemeral port: slim builder, no logging providers,
/// a 2 s shutdown timeout. <c>configure</c> runs after those defaults (so it can override them) and before
/// the app is built; <c>map</c> runs on the built app before it starts.
/// </summary>
public static class LoopbackApp
{
    public static async Task<(WebApplication App, Uri Address)> StartAsync(
        Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        configure?.Invoke(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return (app, new UriBuilder(Uri.UriSchemeHttp, "127.0.0.1", bound.Port).Uri);
    }
}
