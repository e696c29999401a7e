using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Discord;
using Moltworker.Channels.Telegram;
using Moltworker.Host.Endpoints;
using Moltworker.Host.Endpoints.Schedules;
using Moltworker.Host.Endpoints.Events;
using Moltworker.Host.Endpoints.Tasks;
using Moltworker.Host.Endpoints.Approvals;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Host.Endpoints.Mcp;
using Moltworker.Host.WebConsole;
using Moltworker.Storage.Sqlite.Backup;

namespace Moltworker.Host.Composition;

/// <summary>Builds the web host: default address http://127.0.0.1:5080 unless --urls / ASPNETCORE_URLS say otherwise.</summary>
public static class WebHostFactory
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        ConfigurationWatching.PreferPolling();
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseKestrelHttpsConfiguration(); // HTTPS endpoints in Kestrel's configuration, which the slim builder leaves out
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.AddGracefulStop(builder.Configuration);
        builder.Services.AddReverseProxySupport(builder.Configuration);
        builder.AddMoltworker();
        builder.Services.AddHostedService<DataDirectoryLockService>();
        builder.Services.AddSingleton<StartupReadiness>();
        builder.Services.AddConsole();
        configure?.Invoke(builder);
        builder.Services.HoldStartupWork();
        builder.Services.StartAfterListening();

        var app = builder.Build();
        app.UseStartupHold();
        app.UseHealthProbes();
        app.UseMoltworkerApi();
        app.MapHealthEndpoints();
        app.MapReadinessEndpoints();
        app.MapChatApi();
        app.MapSchedulesApi();
        app.MapEventsApi();
        app.MapEventSocketApi();
        app.MapTasksApi();
        app.MapApprovalsApi();
        app.MapStreamTicketApi();
        app.MapConsole();
        app.MapCatalogApis();
        app.MapMcpToolServer();
        app.MapTelegramChannel();
        app.MapDiscordChannel();
        app.Lifetime.ApplicationStarted.Register(() => _ = StartupReport.LogAsync(app.Services));
        app.Lifetime.ApplicationStarted.Register(() => _ = ApiExposureWarning.CheckAsync(app));
        return app;
    }
}
