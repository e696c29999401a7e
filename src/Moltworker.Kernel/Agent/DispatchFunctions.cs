using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Kernel.Filters.SemanticKernel;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Agent;

/// <summary>
/// The <see cref="KernelFunction"/> through which the agent loop invokes a catalog tool on the hosted kernel, so that the
/// kernel's function-invocation filters (Moltworker's per-call concerns, then a user's) run around every call. It runs
/// the tool with the token and <see cref="ToolContext"/> of the call's current attempt (<see cref="CallScope"/>): SK
/// hands a function the token its <c>InvokeAsync</c> was given, whichever attempt a filter starts, so only a function
/// of ours can give each attempt its own. An SK plugin's function is forwarded to: invoked on the same kernel with the
/// same arguments, where a user's filters run around it (<see cref="UserFunctionFilters"/>); any other tool
/// (<c>[Tool]</c> methods, MCP tools) is invoked as an <see cref="AIFunction"/>. Made once per tool and kept only as
/// long as the tool lives. Its name is the tool's, with characters SK does not allow replaced by underscores.
/// </summary>
public static partial class DispatchFunctions
{
    private static readonly ConditionalWeakTable<AIFunction, KernelFunction> Dispatches = new();
    private static readonly ConditionalWeakTable<KernelFunction, KernelFunction> ForwardingDispatches = new();

    public static KernelFunction For(AIFunction tool) => Dispatches.GetValue(tool, Create);

    /// <summary><paramref name="function"/> is a dispatch that forwards to an SK plugin's function.</summary>
    public static bool Forwards(KernelFunction function) => ForwardingDispatches.TryGetValue(function, out _);

    private static KernelFunction Create(AIFunction tool)
    {
        var own = tool.GetService(typeof(KernelFunction)) as KernelFunction;
        var described = own ?? KernelFunctions.For(tool);
        Func<Microsoft.SemanticKernel.Kernel, KernelArguments, CancellationToken, Task<object?>> body = own is null
            ? (kernel, arguments, cancellationToken) => InvokeToolAsync(tool, kernel, arguments, cancellationToken)
            : (kernel, arguments, cancellationToken) => ForwardAsync(own, kernel, arguments, cancellationToken);
        var dispatch = KernelFunctionFactory.CreateFromMethod(body.Method, ToolJson.Options, body.Target, new KernelFunctionFromMethodOptions
        {
            FunctionName = InvalidChars().Replace(tool.Name, "_"),
            Description = tool.Description,
            Parameters = described?.Metadata.Parameters ?? [],
            ReturnParameter = described?.Metadata.ReturnParameter,
            AdditionalMetadata = described?.Metadata.AdditionalProperties as ReadOnlyDictionary<string, object?>
                ?? new(new Dictionary<string, object?> { [ToolMetadata.Key] = ToolMetadata.Of(tool) }),
        });
        var plugin = ToolMetadata.Of(tool).Plugin;
        if (plugin.Length > 0) dispatch = dispatch.Clone(Hosting.HostedKernel.PluginName(plugin));
        if (own is not null) ForwardingDispatches.AddOrUpdate(dispatch, own);
        return dispatch;
    }

    private static async Task<object?> ForwardAsync(KernelFunction own, Microsoft.SemanticKernel.Kernel kernel, KernelArguments arguments, CancellationToken cancellationToken)
    {
        var call = CallScope.Of(arguments);
        if (call is not null)
            foreach (var name in KernelFunctionBuilder.ContextParameters(own)) arguments[name] = call.Tool;
        using var scope = call is null ? null : CurrentToolContext.Enter(call.Tool);
        CallScope.Forward(arguments);
        var result = await own.InvokeAsync(kernel, arguments, call?.CancellationToken ?? cancellationToken);
        return result.GetValue<object>();
    }

    private static async Task<object?> InvokeToolAsync(AIFunction tool, Microsoft.SemanticKernel.Kernel kernel, KernelArguments arguments, CancellationToken cancellationToken)
    {
        var call = CallScope.Of(arguments);
        var args = new AIFunctionArguments(arguments.ToDictionary(kv => kv.Key, kv => kv.Value)) { Services = kernel.Services };
        if (call is not null) args.Context = new Dictionary<object, object?> { [typeof(ToolContext)] = call.Tool };
        using var scope = call is null ? null : CurrentToolContext.Enter(call.Tool);
        return await tool.InvokeAsync(args, call?.CancellationToken ?? cancellationToken);
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex InvalidChars();
}
