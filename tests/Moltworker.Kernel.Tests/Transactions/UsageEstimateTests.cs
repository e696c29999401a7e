using Microsoft.Extensions.AI;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Transactions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Kernel.Tests.Transactions;

/// <summary>A model call whose response carries no usage is logged with the tokens the request and answer count to
/// (the same counter that measures requests), its cost from those counts, and marked as estimated; a provider's usage
/// is logged as given.</summary>
public sealed class UsageEstimateTests
{
    private sealed class Log : ITransactionLog
    {
        public readonly List<TransactionRecord> Rows = [];
        public Task AppendAsync(TransactionRecord record, CancellationToken cancellationToken) { lock (Rows) Rows.Add(record); return Task.CompletedTask; }
        public Task<IReadOnlyList<TransactionRecord>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<TransactionRecord>>(Rows);
        public Task<IReadOnlyList<UsageTotal>> UsageAsync(UsageGrouping grouping, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class Model(UsageDetails? usage) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Paris is the capital of France.")) { ModelId = "gpt-4o", Usage = usage });
        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    private static readonly List<ChatMessage> Request =
    [
        new(ChatRole.System, "You are a helpful assistant."),
        new(ChatRole.User, "What is the capital of France?"),
    ];

    private static async Task<(TransactionRecord Row, ModelCatalog Catalog, TokenCounter Counter)> CallAsync(UsageDetails? usage)
    {
        var log = new Log();
        var catalog = new ModelCatalog(MsOptions.Create(new LlmOptions()));
        var counter = new TokenCounter();
        var client = new TransactionChatClient(new Model(usage), log, catalog, TimeProvider.System, 200, new UsageEstimate(counter));
        await client.GetResponseAsync(Request, new ChatOptions { ModelId = "gpt-4o" });
        return (Assert.Single(log.Rows), catalog, counter);
    }

    [Fact]
    public async Task Without_usage_in_the_response_the_counted_tokens_and_their_cost_are_logged_as_an_estimate()
    {
        var (row, catalog, counter) = await CallAsync(usage: null);
        var model = catalog.Get("gpt-4o");
        Assert.Equal(counter.CountRequest(model, Request), row.InputTokens);
        Assert.Equal(counter.CountMessage(model, new ChatMessage(ChatRole.Assistant, "Paris is the capital of France.")), row.OutputTokens);
        Assert.True(row.InputTokens > 10 && row.OutputTokens > 5);
        Assert.Equal(model.Cost(row.InputTokens!.Value, row.OutputTokens!.Value), row.Cost);
        Assert.Contains("\"usage\":\"estimated\"", row.Arguments);
    }

    [Fact]
    public async Task The_providers_usage_is_logged_as_given()
    {
        var (row, catalog, _) = await CallAsync(new UsageDetails { InputTokenCount = 1234, OutputTokenCount = 56 });
        Assert.Equal(1234, row.InputTokens);
        Assert.Equal(56, row.OutputTokens);
        Assert.Equal(catalog.Get("gpt-4o").Cost(1234, 56), row.Cost);
        Assert.DoesNotContain("estimated", row.Arguments);
    }
}
