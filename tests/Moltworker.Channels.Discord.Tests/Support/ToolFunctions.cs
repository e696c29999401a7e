using System.Reflection;
using Microsoft.Extensions.AI;
using Moltworker.Abstractions;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Channels.Discord.Tests.Support;

/// <summary>Builds a plugin's tools with the kernel's own <see cref="PluginFactory"/>, and the catalog the kernel would offer.</summary>
public static class ToolFunctions
{
    public static IReadOnlyList<AIFunction> FromPlugin(object plugin)
    {
        var name = PluginFactory.NameOf(plugin.GetType());
        return plugin.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<ToolAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => PluginFactory.CreateFunction(x.Method, plugin, x.Attribute!, name, plugin as IToolSuggestions))
            .ToList();
    }

    /// <summary>Built-ins (no tool) first, then tools offered as commands, ordered and lower-cased as the kernel's catalog does.</summary>
    public static IReadOnlyList<ChatCommand> Catalog(object plugin) =>
    [
        new ChatCommand("start", "Start"),
        new ChatCommand("help", "Help"),
        new ChatCommand("reset", "Reset"),
        new ChatCommand("status", "Status"),
        .. FromPlugin(plugin)
            .Where(f => ToolMetadata.Of(f).Command is not null)
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new ChatCommand(ToolMetadata.Of(f).Command!.ToLowerInvariant(), f.Description, f)),
    ];
}
