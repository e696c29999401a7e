using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Tests.Plugins;

/// <summary>A plugin source whose plugins the test sets; <see cref="Set"/> raises <see cref="Changed"/> like a reload.</summary>
public sealed class ScriptedPluginSource(int order, params PluginDescriptor[] plugins) : IPluginSource
{
    public int Order => order;
    public IReadOnlyList<PluginDescriptor> Plugins { get; private set; } = plugins;
    public event Action? Changed;

    public void Set(params PluginDescriptor[] plugins)
    {
        Plugins = plugins;
        Changed?.Invoke();
    }
}
