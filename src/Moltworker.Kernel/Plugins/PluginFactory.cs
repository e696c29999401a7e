using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Plugins;

/// <summary>
/// Turns a plain plugin class into functions: the constructor gets DI services, the plugin's configuration section and
/// its bound <c>[PluginOptions]</c> class. Each SK <c>[KernelFunction]</c> method becomes a <c>KernelFunction</c> with
/// its <c>[ToolSafety]</c> declarations in its metadata (see <see cref="KernelFunctionBuilder"/>); each method with the
/// older <c>[Tool]</c> attribute still becomes an <see cref="AIFunction"/> whose <c>AdditionalProperties</c> carry the
/// <see cref="ToolMetadata"/>.
/// </summary>
public sealed class PluginFactory(IServiceProvider services, IConfiguration configuration)
{
    public static string NameOf(Type pluginType) =>
        pluginType.GetCustomAttribute<PluginAttribute>()?.Name
        ?? (pluginType.Name.EndsWith("Plugin", StringComparison.Ordinal) && pluginType.Name.Length > 6 ? pluginType.Name[..^6] : pluginType.Name);

    public static bool IsPlugin(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsPublic: true } &&
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Any(m => m.GetCustomAttribute<ToolAttribute>() is not null || KernelFunctionBuilder.IsFunction(m));

    /// <summary>A public class a drop-in assembly exports as an SK function or auto-function invocation filter.</summary>
    public static bool IsFilter(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsPublic: true } &&
        (typeof(Microsoft.SemanticKernel.IFunctionInvocationFilter).IsAssignableFrom(type) || typeof(Microsoft.SemanticKernel.IAutoFunctionInvocationFilter).IsAssignableFrom(type));

    /// <summary>An exported filter, its constructor given DI services.</summary>
    public object CreateFilter(Type filterType) => ActivatorUtilities.CreateInstance(services, filterType);

    public PluginDescriptor Create(Type pluginType, string origin)
    {
        var name = NameOf(pluginType);
        try
        {
            var instance = Instantiate(pluginType, name);
            var json = ToolJson.For(pluginType);
            var suggestions = instance as IToolSuggestions;
            var tools = new List<AIFunction>();
            foreach (var method in pluginType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                var target = method.IsStatic ? null : instance;
                if (KernelFunctionBuilder.IsFunction(method)) tools.Add(KernelFunctionBuilder.Create(method, target, name, suggestions, json));
                else if (method.GetCustomAttribute<ToolAttribute>() is { } attribute) tools.Add(CreateFunction(method, target, attribute, name, suggestions, json));
            }
            return new PluginDescriptor(name, origin, tools) { Version = pluginType.Assembly.GetName().Version?.ToString() };
        }
        catch (Exception ex)
        {
            var inner = ex is TargetInvocationException { InnerException: { } ie } ? ie : ex;
            return PluginDescriptor.Failure(name, origin, $"{inner.GetType().Name}: {inner.Message}");
        }
    }

    public static AIFunction CreateFunction(MethodInfo method, object? target, ToolAttribute attribute, string plugin, IToolSuggestions? suggestions = null,
        JsonSerializerOptions? serializerOptions = null)
    {
        var metadata = ToolMetadata.From(attribute, plugin) with { Suggestions = suggestions };
        if (target is IToolMetadataOverrides overrides) metadata = overrides.Override(attribute.Name, metadata);
        var options = new AIFunctionFactoryOptions
        {
            Name = attribute.Name,
            Description = method.GetCustomAttribute<DescriptionAttribute>()?.Description,
            AdditionalProperties = new Dictionary<string, object?> { [ToolMetadata.Key] = metadata },
            SerializerOptions = serializerOptions ?? ToolJson.Options,
            ConfigureParameterBinding = static p => p.ParameterType == typeof(ToolContext)
                ? new AIFunctionFactoryOptions.ParameterBindingOptions
                {
                    ExcludeFromSchema = true,
                    BindParameter = static (_, args) => args.Context?.TryGetValue(typeof(ToolContext), out var c) == true ? c
                        : Agent.CurrentToolContext.Value ?? new ToolContext(),
                }
                : default,
        };
        return AIFunctionFactory.Create(method, target, options);
    }

    private object Instantiate(Type pluginType, string name)
    {
        // Only pass what the constructor asks for: ActivatorUtilities refuses unused arguments.
        var section = configuration.GetSection($"Moltworker:Plugins:{name}");
        var ctor = pluginType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var extras = new List<object>();
        foreach (var p in ctor?.GetParameters() ?? [])
        {
            if (p.ParameterType.GetCustomAttribute<PluginOptionsAttribute>() is not null)
                extras.Add(section.Get(p.ParameterType) ?? Activator.CreateInstance(p.ParameterType)!);
            else if (p.ParameterType == typeof(IConfiguration) || p.ParameterType == typeof(IConfigurationSection))
                extras.Add(section);
        }
        return ActivatorUtilities.CreateInstance(services, pluginType, [.. extras]);
    }
}

/// <summary>JSON settings for tool arguments and results.</summary>
public static class ToolJson
{
    public static readonly JsonSerializerOptions Options = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>
    /// <see cref="Options"/> for the tools of <paramref name="pluginType"/>. A plugin from a collectible (drop-in) assembly
    /// gets its own instance with its own resolver: function descriptors and JSON metadata are cached per options
    /// instance, and caches on the shared static options would keep an unloaded plugin's code alive for ever.
    /// </summary>
    public static JsonSerializerOptions For(Type pluginType) => !pluginType.Assembly.IsCollectible ? Options
        : new JsonSerializerOptions(Options) { TypeInfoResolver = JsonTypeInfoResolver.Combine(Options.TypeInfoResolver, new DefaultJsonTypeInfoResolver()) };
}
