using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Commands.BuiltIn;

public sealed class StatusCommand(ModelAccess models, PluginCatalog catalog, TimeProvider time) : IBuiltInCommand
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public string Name => "status";
    public string Description => "Show the model, plugins and uptime";

    public Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken)
    {
        var snapshot = catalog.Snapshot;
        var model = models.IsConfigured ? $"{models.Model.Id} (parallel tool calls: {(models.Model.ParallelCalls ? "yes" : "no")})" : "not configured";
        var uptime = time.GetUtcNow() - _started;
        return Task.FromResult(new ChatReply(
            $"Model: {model}\nPlugins: {snapshot.Loaded.Count} loaded, {snapshot.FailedPlugins.Count} failed, {snapshot.Tools.Count} tools\nUptime: {uptime:d\\.hh\\:mm\\:ss}"));
    }
}
