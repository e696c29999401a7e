using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.Plugins.Loading;

namespace Moltworker.Kernel.Hosting;

public static class PluginDirectoryExtensions
{
    /// <summary>
    /// The drop-in plugins folder (<c>Moltworker:Plugins:Directory</c>): a plugin source, and a hosted service that
    /// loads it at start and reloads on change. Without a started host (CLI verbs) the folder is read on first use.
    /// </summary>
    public static IServiceCollection AddPluginDirectory(this IServiceCollection services)
    {
        services.TryAddSingleton<ShadowCopies>();
        services.TryAddSingleton<PluginAssemblyLoader>();
        services.TryAddSingleton<PluginDirectorySource>();
        services.AddSingleton<IPluginSource>(sp => sp.GetRequiredService<PluginDirectorySource>());
        services.TryAddSingleton<PluginDirectoryWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PluginDirectoryWatcher>());
        return services;
    }
}
