using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Filters.SemanticKernel;

namespace Moltworker.Kernel.Filters.Builtin;

/// <summary>Logs each tool call with its status and latency (arguments are not logged here: they may hold secrets).</summary>
public sealed partial class TimingLogFilter(ILogger<TimingLogFilter> logger) : CallFunctionFilter
{
    protected override async Task OnCallAsync(CallContext context, Func<CallContext, Task> next)
    {
        var started = Stopwatch.GetTimestamp();
        try { await next(context); }
        finally
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogCall(context.Tool.TaskId, context.Call.Name, context.Call.CallId, context.Result?.Status.ToString() ?? "Cancelled", ms);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: tool {Tool} ({CallId}) {Status} in {Ms:F1} ms")]
    private partial void LogCall(string taskId, string tool, string callId, string status, double ms);
}
