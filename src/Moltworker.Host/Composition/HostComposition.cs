using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Channels.Discord;
using Moltworker.Channels.Telegram;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Memory;
using Moltworker.Kernel.Schedules;
using Moltworker.Knowledge;
using Moltworker.Host.Endpoints.Mcp;
using Moltworker.Mcp.Hosting;
using Moltworker.Plugins.BuiltIn;
using Moltworker.Plugins.BuiltIn.Browse;

namespace Moltworker.Host.Composition;

/// <summary>The composition root: every area's services, shared by the web host and the CLI verbs.</summary>
public static class HostComposition
{
    public static void AddMoltworker(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        configuration.AddShippedDefaults(builder.Environment.ContentRootPath);
        services.AddMoltworkerKernel(configuration);
        services.AddMoltworkerFilters(configuration);
        services.AddStorage(configuration);
        services.AddSchedules(configuration);
        services.AddHttpClient();
        services.AddPluginDirectory();
        services.AddMcpServers(configuration);
        services.AddKnowledge(configuration);
        services.AddMemory(configuration);
        services.AddBrowse(configuration);
        foreach (var type in BuiltInPlugins.Types) services.AddPlugin(type);
        services.AddTelegramChannel(configuration);
        services.AddDiscordChannel(configuration);
        services.AddMoltworkerApi(configuration);
        services.AddMcpToolServer(configuration);
        services.AddTelemetryExport(configuration);
    }
}
