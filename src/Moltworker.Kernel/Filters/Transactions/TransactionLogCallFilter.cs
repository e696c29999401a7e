using System.Diagnostics;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Transactions;
using Moltworker.Kernel.Filters.SemanticKernel;

namespace Moltworker.Kernel.Filters.Transactions;

/// <summary>Logs each attempt of a tool call (inside the retry filter, so every attempt is a row): task, chat, tool,
/// redacted arguments, result summary, status, attempt, latency, and whether the tool-result cache answered it.</summary>
public sealed class TransactionLogCallFilter(ITransactionLog log, Redactor redactor, IOptionsMonitor<TransactionsOptions> options, TimeProvider time) : CallFunctionFilter
{
    protected override async Task OnCallAsync(CallContext context, Func<CallContext, Task> next)
    {
        if (!options.CurrentValue.Enabled) { await next(context); return; }
        var at = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        try { await next(context); }
        finally
        {
            var tool = context.Tool;
            var result = context.Result;
            await TransactionWriter.TryAppendAsync(log, new TransactionRecord
            {
                At = at,
                Kind = "tool",
                TaskId = tool.TaskId,
                Chat = tool.Channel is null ? null : $"{tool.Channel}:{tool.ChatId}",
                Name = context.Call.Name,
                Arguments = redactor.Arguments(context.Arguments),
                Summary = result is null ? null : Summarize(result.Content, options.CurrentValue.SummaryChars),
                Status = result?.Status.ToString() ?? "Cancelled",
                Attempt = tool.Attempt,
                LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                Cached = result?.Cached == true,
            });
        }
    }

    public static string Summarize(string text, int max) =>
        text.Length <= max ? text : $"{text[..Math.Max(0, max)]}… ({text.Length:N0} chars)";
}
