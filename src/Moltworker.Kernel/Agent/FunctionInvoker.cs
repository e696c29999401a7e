using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.Filters.SemanticKernel;
using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Agent;

/// <summary>The innermost step of the call pipeline: invokes the call's tool on the hosted SK kernel through its
/// dispatch function (<see cref="DispatchFunctions"/>), so that the kernel's function-invocation filters run around it:
/// Moltworker's per-call concerns in <see cref="FilterOrder.Function"/>'s order, then a user's. The innermost of ours
/// (<see cref="Filters.Results.CallResultFilter"/>) sets the call's result. Only cancellation of the call's token
/// propagates (the timeout filter and the turn decide what it means).</summary>
public sealed class FunctionInvoker(HostedKernel kernel, IOptions<AgentOptions> options)
{
    public async Task InvokeAsync(CallContext context)
    {
        context.KernelArguments ??= ToKernelArguments(context.Arguments);
        CallScope.Enter(context);
        try
        {
            var result = await DispatchFunctions.For(context.Function!).InvokeAsync(kernel.Kernel, context.KernelArguments, context.CancellationToken);
            context.Result ??= ToolOutput.Result(result.GetValue<object>(), options.Value.MaxResultChars); // a kernel without our filters
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested) { throw; }
        catch (Exception ex) { context.Result = FromException(ex); }
    }

    private static KernelArguments ToKernelArguments(AIFunctionArguments arguments)
    {
        var converted = new KernelArguments();
        foreach (var (name, value) in arguments) converted[name] = value;
        return converted;
    }

    public static ToolResult FromException(Exception ex) => ex switch
    {
        ToolException te => ToolResult.Error(te.Message, te.Transient) with { RetryAfter = te.RetryAfter },
        HttpRequestException { StatusCode: { } code } he => ToolResult.Error($"upstream answered {(int)code}: {he.Message}", IsTransient(code)),
        HttpRequestException he => ToolResult.Error($"upstream unreachable: {he.Message}", transient: true),
        TimeoutException or IOException => ToolResult.Error($"{ex.GetType().Name}: {ex.Message}", transient: true),
        OperationCanceledException => ToolResult.Error("the tool cancelled its own work (an internal timeout)", transient: true),
        _ => ToolResult.Error($"{ex.GetType().Name}: {ex.Message}"),
    };

    private static bool IsTransient(HttpStatusCode code) => code is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)code >= 500;

    public static string Render(object? value) => value switch
    {
        null => "OK",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? "",
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => "OK",
        JsonElement e => e.GetRawText(),
        _ => JsonSerializer.Serialize(value, ToolJson.Options),
    };

    public static string Truncate(string content, int max)
    {
        if (max <= 0 || content.Length <= max) return content;
        var cut = char.IsHighSurrogate(content[max - 1]) ? max - 1 : max;
        return $"{content[..cut]}\n[truncated: the result had {content.Length:N0} characters; the first {cut:N0} are shown]";
    }
}
