using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Plugins;

/// <summary>A plugin as loaded: its tools, or the error that kept it from loading.</summary>
public sealed record PluginDescriptor(string Name, string Origin, IReadOnlyList<AIFunction> Tools, string? Error = null)
{
    public string? Version { get; init; }

    /// <summary>SK filters the plugin's assembly exports (<c>IFunctionInvocationFilter</c>,
    /// <c>IAutoFunctionInvocationFilter</c> instances): they run around every call while the plugin is loaded.</summary>
    public IReadOnlyList<object> Filters { get; init; } = [];
    public bool Failed => Error is not null;

    public static PluginDescriptor Failure(string name, string origin, string error) => new(name, origin, [], error);
}
