using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Filters.Transactions;

namespace Moltworker.Kernel.Transactions;

/// <summary>Logs every model call (outside retries and fallbacks: one row per request of the loop): model, task,
/// status, latency, tokens from the response's usage (counted by <see cref="UsageEstimate"/> when the response has none)
/// and cost from the catalog's prices. Prompts are not logged.</summary>
public sealed class TransactionChatClient(IChatClient inner, ITransactionLog log, ModelCatalog catalog, TimeProvider time, int summaryChars, UsageEstimate? estimate = null)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var at = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.GetResponseAsync(list, options, cancellationToken);
            await WriteAsync(at, started, list, options, response, Summary(response), "Ok");
            return response;
        }
        catch (Exception ex)
        {
            await WriteAsync(at, started, list, options, null, ex.Message, ex is OperationCanceledException ? "Cancelled" : "Error");
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var at = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var updates = new List<ChatResponseUpdate>();
        var status = "Error";
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken))
            {
                updates.Add(update);
                yield return update;
            }
            status = "Ok";
        }
        finally
        {
            var response = updates.ToChatResponse();
            await WriteAsync(at, started, list, options, status == "Ok" ? response : null, Summary(response), status);
        }
    }

    /// <summary>One row; <paramref name="response"/> is null when the call gave none (then no usage is recorded).</summary>
    private async Task WriteAsync(DateTimeOffset at, long started, IList<ChatMessage> messages, ChatOptions? options, ChatResponse? response,
        string summary, string status)
    {
        var model = response?.ModelId ?? options?.ModelId ?? "(default)";
        long? input = response?.Usage?.InputTokenCount, output = response?.Usage?.OutputTokenCount;
        var estimated = false;
        if (response is not null && estimate is not null) (input, output, estimated) = estimate.Of(catalog.Get(model), messages, options, response);
        await TransactionWriter.TryAppendAsync(log, new TransactionRecord
        {
            At = at,
            Kind = "model",
            TaskId = options?.AdditionalProperties?.GetValueOrDefault(ToolOffer.TaskIdKey) as string,
            Name = model,
            Arguments = $"{{\"messages\":{messages.Count},\"tools\":{options?.Tools?.Count ?? 0}{(estimated ? ",\"usage\":\"estimated\"" : "")}}}",
            Summary = TransactionLogCallFilter.Summarize(summary, summaryChars),
            Status = status,
            LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            InputTokens = input,
            OutputTokens = output,
            Cost = input is null && output is null ? null : catalog.Get(model).Cost(input ?? 0, output ?? 0),
        });
    }

    private static string Summary(ChatResponse response)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => c.Name).ToList();
        return calls.Count > 0 ? $"calls: {string.Join(", ", calls)}" : response.Text;
    }
}
