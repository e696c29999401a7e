using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Plugins;
using Moltworker.Mcp.Options;

namespace Moltworker.Mcp.Hosting;

public static class McpServiceCollectionExtensions
{
    /// <summary>MCP servers from <c>Moltworker:Mcp:Servers</c> as a plugin source, connected while the host runs.</summary>
    public static IServiceCollection AddMcpServers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<McpOptions>().Bind(configuration.GetSection(McpOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<McpPluginSource>();
        services.AddSingleton<IPluginSource>(sp => sp.GetRequiredService<McpPluginSource>());
        services.AddHostedService<McpServersService>();
        return services;
    }
}
