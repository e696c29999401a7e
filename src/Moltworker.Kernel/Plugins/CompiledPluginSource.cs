namespace Moltworker.Kernel.Plugins;

/// <summary>Plugin classes compiled into the host (built-in plugins), registered with <c>services.AddPlugin&lt;T&gt;()</c>.</summary>
public sealed class CompiledPluginSource(IEnumerable<PluginRegistration> registrations, PluginFactory factory) : IPluginSource
{
    private readonly Lazy<IReadOnlyList<PluginDescriptor>> _plugins =
        new(() => registrations.DistinctBy(r => r.Type).Select(r => factory.Create(r.Type, "built-in")).ToList());

    public int Order => 0;
    public IReadOnlyList<PluginDescriptor> Plugins => _plugins.Value;
    public event Action? Changed { add { } remove { } }
}

/// <summary>A compiled-in plugin class.</summary>
public sealed record PluginRegistration(Type Type);
