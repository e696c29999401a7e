using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Agent;

/// <summary>The innermost step of the call pipeline: runs the function through the hosted SK kernel (so the kernel's
/// <c>IFunctionInvocationFilter</c>s run around it) and turns whatever happens into a result. Only cancellation of the
/// call's token propagates (the timeout filter and the turn decide what it means). A function SK cannot name (see
/// <see cref="KernelFunctions"/>) is invoked as a plain <c>AIFunction</c>.</summary>
public sealed class FunctionInvoker(IServiceProvider services, HostedKernel kernel, IOptions<AgentOptions> options)
{
    public async Task InvokeAsync(CallContext context)
    {
        try
        {
            var value = KernelFunctions.For(context.Function!) is { } function
                ? await InvokeKernelFunctionAsync(function, context)
                : await InvokeAIFunctionAsync(context);
            context.Result = ToolOutput.Result(value, options.Value.MaxResultChars);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested) { throw; }
        catch (Exception ex) { context.Result = FromException(ex); }
    }

    private async Task<object?> InvokeKernelFunctionAsync(KernelFunction function, CallContext context)
    {
        var arguments = new KernelArguments();
        foreach (var (name, value) in context.Arguments) arguments[name] = value;
        foreach (var name in KernelFunctionBuilder.ContextParameters(function)) arguments[name] = context.Tool;
        using var scope = CurrentToolContext.Enter(context.Tool);
        var result = await function.InvokeAsync(kernel.Kernel, arguments, context.CancellationToken);
        return result.GetValue<object>();
    }

    private async Task<object?> InvokeAIFunctionAsync(CallContext context)
    {
        var args = context.Arguments;
        args.Services = services;
        args.Context = new Dictionary<object, object?> { [typeof(ToolContext)] = context.Tool };
        return await context.Function!.InvokeAsync(args, context.CancellationToken);
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
