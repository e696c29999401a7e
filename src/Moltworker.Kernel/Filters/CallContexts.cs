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
        Index = context.Index,
        Batch = context.Batch,
        Tool = tool ?? context.Tool,
        CancellationToken = cancellationToken,
    };

    /// <summary>The same tool context with another attempt number (the idempotency key stays).</summary>
    public static ToolContext WithAttempt(ToolContext tool, int attempt) => new()
    {
        TaskId = tool.TaskId,
        CallId = tool.CallId,
        IdempotencyKey = tool.IdempotencyKey,
        Attempt = attempt,
        Channel = tool.Channel,
        ChatId = tool.ChatId,
        UserId = tool.UserId,
        FromCommand = tool.FromCommand,
        Progress = tool.Progress,
    };
}
