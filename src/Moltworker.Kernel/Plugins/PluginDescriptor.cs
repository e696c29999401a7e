using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Plugins;

/// <summary>A plugin as loaded: its tools, or the error that kept it from loading.</summary>
public sealed record PluginDescriptor(string Name, string Origin, IReadOnlyList<AIFunction> Tools, string? Error = null)
{
    public string? Version { get; init; }
    public bool Failed => Error is not null;

    public static PluginDescriptor Failure(string name, string origin, string error) => new(name, origin, [], error);
}
