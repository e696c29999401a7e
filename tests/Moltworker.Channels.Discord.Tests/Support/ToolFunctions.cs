using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.AI;
using Moltworker.Abstractions;
using Moltworker.Kernel.Commands;

namespace Moltworker.Channels.Discord.Tests.Support;

/// <summary>Builds a plugin's tools as the kernel does: AIFunctionFactory plus ToolMetadata in AdditionalProperties.</summary>
public static class ToolFunctions
{
    public static IReadOnlyList<AIFunction> FromPlugin(object plugin)
    {
        var pluginName = plugin.GetType().GetCustomAttribute<PluginAttribute>()?.Name ?? plugin.GetType().Name;
        var list = new List<AIFunction>();
        foreach (var method in plugin.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.GetCustomAttribute<ToolAttribute>() is not { } tool) continue;
            var metadata = ToolMetadata.From(tool, pluginName) with { Suggestions = plugin as IToolSuggestions };
            list.Add(AIFunctionFactory.Create(method, plugin, new AIFunctionFactoryOptions
            {
                Name = tool.Name,
                Description = method.GetCustomAttribute<DescriptionAttribute>()?.Description,
                AdditionalProperties = new Dictionary<string, object?> { [ToolMetadata.Key] = metadata },
                ConfigureParameterBinding = p => p.ParameterType == typeof(ToolContext)
                    ? new AIFunctionFactoryOptions.ParameterBindingOptions
                    {
                        ExcludeFromSchema = true,
                        BindParameter = (_, args) => args.TryGetValue("__context", out var c) ? c : new ToolContext(),
                    }
                    : default,
            }));
        }
        return list;
    }

    /// <summary>The catalog the kernel would offer: built-ins (no tool) first, then tools offered as commands.</summary>
    public static IReadOnlyList<ChatCommand> Catalog(object plugin) =>
    [
        new ChatCommand("start", "Start"),
        new ChatCommand("help", "Help"),
        new ChatCommand("reset", "Reset"),
        new ChatCommand("status", "Status"),
        .. FromPlugin(plugin)
            .Where(f => ToolMetadata.Of(f).Command is not null)
            .Select(f => new ChatCommand(ToolMetadata.Of(f).Command!, f.Description, f)),
    ];
}
