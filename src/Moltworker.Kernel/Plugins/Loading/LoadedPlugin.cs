namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>One drop-in file as loaded: its plugins (or the failure), and the context and shadow copy to release
/// when it is replaced or removed.</summary>
public sealed class LoadedPlugin(PluginCandidate candidate, IReadOnlyList<PluginDescriptor> plugins, PluginLoadContext? context, string? shadowPath)
{
    public PluginCandidate Candidate { get; } = candidate;
    public IReadOnlyList<PluginDescriptor> Plugins { get; } = plugins;

    /// <summary>Null once unloaded, or when nothing was loaded.</summary>
    public WeakReference? Context { get; private set; } = context is null ? null : new WeakReference(context);

    private PluginLoadContext? _context = context;

    /// <summary>
    /// Starts unloading. Calls in flight keep running: the runtime collects the context only once nothing
    /// references its code any more (the old catalog snapshot, the functions, the plugin instances).
    /// </summary>
    public void Unload()
    {
        var context = Interlocked.Exchange(ref _context, null);
        if (context is null) return;
        context.Unload();
        if (shadowPath is not null && OperatingSystem.IsLinux()) ShadowCopies.Delete(shadowPath);
    }

    /// <summary>True when the context has been collected (or there never was one).</summary>
    public bool IsCollected => Context is null || !Context.IsAlive;
}
