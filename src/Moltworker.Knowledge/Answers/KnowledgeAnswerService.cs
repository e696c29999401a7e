using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Transactions;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Search;

namespace Moltworker.Knowledge.Answers;

/// <summary>
/// Answers a question from the knowledge base as an <see cref="AnswerPackage"/>. With a chat model: the model writes
/// the summary, key points and action items as JSON over the numbered passages; citation markers that point to no
/// retrieved passage are removed, and each answer is recorded in the transaction (usage) log as a
/// <c>knowledge_answer</c> row whose summary counts the removed markers. Without a model (or when nothing matches):
/// the best passages with their document title and section (<see cref="PassageAnswer"/>).
/// </summary>
public sealed partial class KnowledgeAnswerService(KnowledgeSearchService search, ITransactionLog? log, TimeProvider time,
    ILogger<KnowledgeAnswerService> logger, IChatClient? chat = null)
{
    public async Task<AnswerPackage> AnswerAsync(string question, int? top, CancellationToken cancellationToken)
    {
        var results = await search.SearchAsync(question, top, SearchFilter.None, cancellationToken);
        if (chat is null || results.Hits.Count == 0) return PassageAnswer.From(results) with { Note = results.Note };

        var started = time.GetTimestamp();
        var response = await chat.GetResponseAsync(AnswerPrompt.Messages(question, results.Hits),
            new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, cancellationToken);
        var package = AnswerParser.Parse(question, response.Text, results.Hits) with { Note = results.Note };
        if (package.RemovedCitations > 0) LogRemoved(logger, package.RemovedCitations, results.Hits.Count);
        if (log is not null) await log.AppendAsync(new TransactionRecord
        {
            At = time.GetUtcNow(),
            Kind = "tool",
            Name = "knowledge_answer",
            Status = "ok",
            Arguments = new JsonObject { ["passages"] = results.Hits.Count, ["removed_citations"] = package.RemovedCitations }.ToJsonString(),
            Summary = $"{package.KeyPoints.Count} key points, {package.ActionItems.Count} action items, {package.RemovedCitations} citation markers removed",
            LatencyMs = time.GetElapsedTime(started).TotalMilliseconds,
            InputTokens = response.Usage?.InputTokenCount,
            OutputTokens = response.Usage?.OutputTokenCount,
        }, cancellationToken);
        return package;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} citation markers that pointed to none of the {Passages} retrieved passages")]
    private static partial void LogRemoved(ILogger logger, int count, int passages);
}
