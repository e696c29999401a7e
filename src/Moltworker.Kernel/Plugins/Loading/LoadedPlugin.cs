namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>One drop-in file as loaded: its plugins (or the failure), and the context and shadow copy to release
/// when it is replaced or removed.</summary>
public sealed class LoadedPlugin(PluginCandidate candidate, IReadOnlyList<PluginDescriptor> plugins, PluginLoadContext? context, string? shadowPath)
{
    public PluginCandidate Candidate { get; } = candidate;
    /// <summary>Empty once unloaded: holding the functions would keep the old code alive.</summary>
    public IReadOnlyList<PluginDescriptor> Plugins { get; private set; } = plugins;

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
        Plugins = Plugins.Where(p => p.Failed).ToList();
        var types = context.Assemblies.SelectMany(SafeTypes).ToArray();
        context.Unload();
        RuntimeCaches.Release(types);
    }

    /// <summary>Deletes the shadow copy once the context is collected (until then a call in flight may still load a
    /// dependency from it). Returns true when nothing is left to delete.</summary>
    public bool TryDeleteShadowCopy()
    {
        if (_context is not null || !IsCollected) return false;
        if (shadowPath is not null) ShadowCopies.Delete(shadowPath);
        return true;
    }

    private static Type[] SafeTypes(System.Reflection.Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (System.Reflection.ReflectionTypeLoadException ex) { return ex.Types.OfType<Type>().ToArray(); }
    }

    /// <summary>True when the context has been collected (or there never was one).</summary>
    public bool IsCollected => Context is null || !Context.IsAlive;
}
