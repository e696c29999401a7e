using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Host.Composition;

/// <summary>What a person starting the host needs to know: the model (or how to configure one) and, once the plugin
/// warm-up (held until the first answer) has built the catalog, the plugins.</summary>
public static partial class StartupReport
{
    public static async Task LogAsync(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Moltworker");
        var models = services.GetRequiredService<ModelAccess>();
        if (models.IsConfigured) LogModel(logger, models.Model.Id);
        else LogNoModel(logger, ModelAccess.HowToConfigure);
        await services.GetRequiredService<PluginWarmup>().Completion;
        var snapshot = services.GetRequiredService<PluginCatalog>().Snapshot;
        LogPlugins(logger, snapshot.Loaded.Count, snapshot.Tools.Count, snapshot.FailedPlugins.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model: {Model}")]
    private static partial void LogModel(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Hint} Until then, chat commands (/help, /time, …) still work.")]
    private static partial void LogNoModel(ILogger logger, string hint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Plugins: {Loaded} loaded with {Tools} tools, {Failed} failed (see /healthz)")]
    private static partial void LogPlugins(ILogger logger, int loaded, int tools, int failed);
}
