using Microsoft.Extensions.Hosting;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Hosting;

/// <summary>
/// Loads the plugin catalog (scanning built-in and drop-in plugins, 100–200 ms) in the background at start instead of
/// on the first request that needs it, so <c>/healthz</c> answers at once ("plugins" is listed as loading until then).
/// A turn that arrives earlier waits for the same load.
/// </summary>
public sealed class PluginWarmup(PluginCatalog catalog) : IHostedService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private volatile bool _started;

    /// <summary>Completes when the first load finished (plugins that failed are in the catalog's snapshot).</summary>
    public Task Completion => _done.Task;

    /// <summary>Started and not finished. A host that never started it (a test kernel) loads the catalog on demand.</summary>
    public bool Running => _started && !_done.Task.IsCompleted;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        _ = Task.Run(() =>
        {
            try { _ = catalog.Snapshot; }
            finally { _done.TrySetResult(); }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
