using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.Transactions;

namespace Moltworker.Host.Endpoints.Usage;

/// <summary>
/// The transaction log over HTTP, with the filters of the CLI verbs (scope read; a bad filter gets 400 naming it):
/// <c>GET /api/usage?by=model|task|chat&amp;since=&amp;until=</c> sums tokens and cost as <c>moltworker usage</c> does;
/// <c>GET /api/transactions?task=&amp;tool=&amp;kind=model|tool&amp;status=&amp;since=&amp;until=&amp;limit=</c> lists model and
/// tool calls (arguments already redacted) as <c>moltworker transactions</c> does, newest first.
/// </summary>
public static class UsageApi
{
    public const int MaxTransactions = 1000;

    public sealed record UsageRow(string Key, long Calls, long InputTokens, long OutputTokens, decimal Cost);
    public sealed record UsageReport(string By, IReadOnlyList<UsageRow> Totals, UsageRow Total);
    public sealed record TransactionList(IReadOnlyList<TransactionRecord> Transactions);

    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").RequireRateLimiting(ApiRateLimits.ClientPolicy);
        api.MapGet("/usage", async (string? by, string? since, string? until, ITransactionLog log, CancellationToken ct) =>
        {
            var query = new ApiQuery();
            var grouping = query.Choice(by, "by", UsageGrouping.Model);
            var from = query.Time(since, "since");
            var to = query.Time(until, "until");
            if (query.Problem is { } problem) return ApiProblems.BadRequest(problem);
            var totals = await log.UsageAsync(grouping, from, to, ct);
            var rows = totals.Select(t => new UsageRow(t.Key, t.Calls, t.InputTokens, t.OutputTokens, t.Cost)).ToList();
            var total = new UsageRow("total", rows.Sum(r => r.Calls), rows.Sum(r => r.InputTokens), rows.Sum(r => r.OutputTokens), rows.Sum(r => r.Cost));
            return Results.Ok(new UsageReport(grouping.ToString().ToLowerInvariant(), rows, total));
        }).RequireAuthorization(ApiScopes.Read).Produces<UsageReport>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Tokens and cost of model calls per model, task or chat");

        api.MapGet("/transactions", async (string? task, string? tool, string? kind, string? status, string? since, string? until, string? limit,
            ITransactionLog log, CancellationToken ct) =>
        {
            var query = new ApiQuery();
            var filter = new TransactionQuery
            {
                TaskId = Blank(task), Name = Blank(tool), Kind = query.OneOf(kind, "kind", "model", "tool"),
                Status = Blank(status),
                Since = query.Time(since, "since"), Until = query.Time(until, "until"), Limit = query.Number(limit, "limit", 50, 1, MaxTransactions),
            };
            if (query.Problem is { } problem) return ApiProblems.BadRequest(problem);
            return Results.Ok(new TransactionList(await log.QueryAsync(filter, ct)));
        }).RequireAuthorization(ApiScopes.Read).Produces<TransactionList>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Model and tool calls: arguments (redacted), status, attempt, latency, tokens, cost");
        return endpoints;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
