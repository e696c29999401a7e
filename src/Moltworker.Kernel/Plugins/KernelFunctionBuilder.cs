using System.Reflection;
using System.Text.Json;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Plugins;

/// <summary>
/// Turns one <c>[KernelFunction]</c> method of a plugin object into an SK <see cref="KernelFunction"/> whose metadata
/// (<c>AdditionalProperties</c>) carries the <see cref="ToolMetadata"/> read from <c>[ToolSafety]</c> beside it
/// (<see cref="ToolMetadata.Undeclared"/> when there is none). A <see cref="ToolContext"/> parameter is left out of the
/// schema the model sees; the kernel passes the call's context under that parameter's name in the
/// <see cref="KernelArguments"/>.
/// </summary>
public static class KernelFunctionBuilder
{
    /// <summary>Metadata key of the names of the method's <see cref="ToolContext"/> parameters.</summary>
    public const string ContextKey = "moltworker.context_parameters";

    public static bool IsFunction(MethodInfo method) => method.GetCustomAttribute<KernelFunctionAttribute>() is not null;

    /// <summary>The function name the model sees: the attribute's name, else the method name (SK's own rule).</summary>
    public static string NameOf(MethodInfo method) =>
        method.GetCustomAttribute<KernelFunctionAttribute>()?.Name is { Length: > 0 } name ? name : method.Name;

    public static KernelFunction Create(MethodInfo method, object? target, string plugin, IToolSuggestions? suggestions, JsonSerializerOptions json)
    {
        var name = NameOf(method);
        var metadata = ToolMetadata.From(method.GetCustomAttribute<ToolSafetyAttribute>(), name, plugin) with { Suggestions = suggestions };
        if (target is IToolMetadataOverrides overrides) metadata = overrides.Override(name, metadata);
        var additional = new Dictionary<string, object?> { [ToolMetadata.Key] = metadata, [ContextKey] = ContextParameters(method) };
        var described = KernelFunctionFactory.CreateFromMethod(method, json, target);
        return KernelFunctionFactory.CreateFromMethod(method, json, target, new KernelFunctionFromMethodOptions
        {
            FunctionName = name,
            Description = described.Description,
            Parameters = described.Metadata.Parameters.Where(p => p.ParameterType != typeof(ToolContext)).ToList(),
            ReturnParameter = described.Metadata.ReturnParameter,
            AdditionalMetadata = new(additional),
        });
    }

    /// <summary>The names of <paramref name="function"/>'s <see cref="ToolContext"/> parameters (usually none or one).</summary>
    public static IReadOnlyList<string> ContextParameters(KernelFunction function) =>
        function.Metadata.AdditionalProperties.TryGetValue(ContextKey, out var names) && names is IReadOnlyList<string> list ? list : [];

    private static string[] ContextParameters(MethodInfo method) =>
        method.GetParameters().Where(p => p.ParameterType == typeof(ToolContext)).Select(p => p.Name!).ToArray();
}
