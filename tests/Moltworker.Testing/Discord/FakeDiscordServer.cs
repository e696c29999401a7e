using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Testing.Hosting;

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
        FakeDiscordServer? server = null;
        var (app, address) = await LoopbackApp.StartAsync(web =>
        {
            web.UseWebSockets();
            web.Map("/gateway", (Microsoft.AspNetCore.Http.HttpContext c) => server!.Gateway.HandleAsync(c));
            web.Map("/gateway-resume", (Microsoft.AspNetCore.Http.HttpContext c) => server!.Gateway.HandleAsync(c));
            web.Map("/api/v10/{**rest}", (Microsoft.AspNetCore.Http.HttpContext c) => server!.Rest.HandleAsync(c));
        }, builder => builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));
        server = new FakeDiscordServer(app, address.ToString().TrimEnd('/'));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
