using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Polly;
using Polly.Retry;
using Moltworker.Kernel.Filters.SemanticKernel;

namespace Moltworker.Kernel.Filters.Retries;

/// <summary>
/// Retries transient failures (<see cref="ToolResult.Transient"/>: upstream 429/5xx, timeouts, I/O) with exponential
/// backoff (default 3 retries after 2 s, 4 s, 8 s; an upstream's Retry-After wins), but only for tools that are
/// <see cref="Abstractions.ToolMetadata.SafeToRepeat"/>: a side-effecting call is never retried blindly. Each attempt gets a fresh
/// <see cref="Abstractions.ToolContext"/> with its attempt number and the same idempotency key.
/// Calls of a tool-composed batch (<see cref="BatchContext.Composed"/>) are not retried: only the outermost call is.
/// </summary>
public sealed partial class CallRetryFilter : CallFunctionFilter
{
    private readonly ResiliencePipeline<ToolResult> _pipeline;
    private readonly bool _enabled;
    private readonly ILogger<CallRetryFilter> _logger;

    public CallRetryFilter(IOptions<ToolRetryOptions> options, TimeProvider time, ILogger<CallRetryFilter> logger)
    {
        _logger = logger;
        var o = options.Value;
        _enabled = o.MaxRetries > 0;
        _pipeline = new ResiliencePipelineBuilder<ToolResult> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<ToolResult>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { IsError: true, Transient: true }),
                MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = o.BaseDelay,
                MaxDelay = o.MaxDelay,
                DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                OnRetry = args =>
                {
                    LogRetry(args.Context.Properties.GetValue(ToolKey, "?"), args.AttemptNumber + 2, args.RetryDelay, args.Outcome.Result?.Content ?? "");
                    return default;
                },
            })
            .Build();
    }

    private static readonly ResiliencePropertyKey<string> ToolKey = new("moltworker.tool");

    protected override async Task OnCallAsync(CallContext context, Func<CallContext, Task> next)
    {
        var metadata = context.Metadata;
        if (!_enabled || context.Batch?.Composed == true || !metadata.SafeToRepeat)
        {
            await next(context);
            return;
        }
        var resilience = ResilienceContextPool.Shared.Get(context.CancellationToken);
        resilience.Properties.Set(ToolKey, context.Call.Name);
        var attempt = 0;
        try
        {
            context.Result = await _pipeline.ExecuteAsync(async _ =>
            {
                attempt++;
                if (attempt > 1) context.Tool = CallContexts.WithAttempt(context.Tool, attempt);
                context.Result = null;
                await next(context);
                return context.Result ?? ToolResult.Error("the call produced no result");
            }, resilience);
        }
        finally { ResilienceContextPool.Shared.Return(resilience); }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tool} failed transiently; attempt {Attempt} in {Delay}: {Error}")]
    private partial void LogRetry(string tool, int attempt, TimeSpan delay, string error);
}
