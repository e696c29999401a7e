using System.ComponentModel;
using Moltworker.Abstractions;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Channels.Telegram.Tests.Fakes;

/// <summary>A plugin source the test loads and unloads plugins from while the host runs, the way the drop-in folder
/// does (the kernel's catalogs rebuild and raise Changed).</summary>
public sealed class SwitchablePluginSource(PluginFactory factory) : IPluginSource
{
    private volatile IReadOnlyList<PluginDescriptor> _plugins = [];

    public int Order => 10;

    public IReadOnlyList<PluginDescriptor> Plugins => _plugins;

    public event Action? Changed;

    public void Load(Type pluginType)
    {
        _plugins = [.. _plugins, factory.Create(pluginType, "test")];
        Changed?.Invoke();
    }

    public void UnloadAll()
    {
        _plugins = [];
        Changed?.Invoke();
    }
}

/// <summary>A plugin that appears while the host runs.</summary>
[Plugin("LateArrival")]
public sealed class LateArrivalPlugin
{
    [Tool("late_tool", Command = true, ParallelSafe = true)]
    [Description("Arrived after the start.")]
    public string Late([Description("Anything.")] string text) => "late: " + text;
}
