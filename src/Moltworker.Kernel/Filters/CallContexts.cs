using Moltworker.Abstractions;

namespace Moltworker.Kernel.Filters;

/// <summary>Copies of a call context for one attempt (new token, new tool context), sharing call, function and arguments.</summary>
public static class CallContexts
{
    public static CallContext Fork(CallContext context, CancellationToken cancellationToken, ToolContext? tool = null) => new()
    {
        Call = context.Call,
        Function = context.Function,
        Arguments = context.Arguments,
        KernelArguments = context.KernelArguments,
        Index = context.Index,
        Batch = context.Batch,
        Tool = tool ?? context.Tool,
        CancellationToken = cancellationToken,
    };

    /// <summary>The same tool context with another attempt number (the idempotency key stays).</summary>
    public static ToolContext WithAttempt(ToolContext tool, int attempt) => tool with { Attempt = attempt };
}
