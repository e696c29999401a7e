using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Moltworker.Testing.Discord;

/// <summary>
/// An in-test Discord on loopback (Kestrel, 127.0.0.1, port 0): REST under <see cref="ApiBase"/> and the gateway
/// at <see cref="GatewayUrl"/>. Configure Moltworker with <c>ApiBase</c> and <c>GatewayUrl</c> from here.
/// </summary>
public sealed class FakeDiscordServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeDiscordServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Gateway.ResumeUrl = WsBase + "/gateway-resume";
    }

    public FakeDiscordRest Rest { get; } = new();
    public FakeDiscordGateway Gateway { get; } = new();

    public string BaseUrl { get; }
    public string ApiBase => BaseUrl + "/api/v10";
    private string WsBase => "ws" + BaseUrl["http".Length..];
    public string GatewayUrl => WsBase + "/gateway";

    public static async Task<FakeDiscordServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.UseWebSockets();
        FakeDiscordServer? server = null;
        app.Map("/gateway", (Microsoft.AspNetCore.Http.HttpContext c) => server!.Gateway.HandleAsync(c));
        app.Map("/gateway-resume", (Microsoft.AspNetCore.Http.HttpContext c) => server!.Gateway.HandleAsync(c));
        app.Map("/api/v10/{**rest}", (Microsoft.AspNetCore.Http.HttpContext c) => server!.Rest.HandleAsync(c));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeDiscordServer(app, address.TrimEnd('/'));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
