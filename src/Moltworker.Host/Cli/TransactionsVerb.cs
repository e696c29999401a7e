using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Transactions;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker transactions [--task] [--tool] [--status] [--since] [--until]</c>: the log of model and tool calls.</summary>
public sealed class TransactionsVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var task = new Option<string?>("--task") { Description = "Only this task" };
        var tool = new Option<string?>("--tool") { Description = "Only this tool (or model id)" };
        var kind = new Option<string?>("--kind") { Description = "model or tool" };
        var status = new Option<string?>("--status") { Description = "Ok, Error, Timeout, Skipped, Cancelled, Denied" };
        var since = new Option<DateTimeOffset?>("--since") { Description = "From this time (e.g. 2026-11-21T10:00Z)" };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Before this time" };
        var limit = new Option<int>("--limit") { Description = "How many rows", DefaultValueFactory = _ => 50 };
        var command = new Command("transactions", "Model and tool calls: arguments (secrets redacted), status, attempt, latency, tokens, cost. Docs: docs/filters-tasks-durability.md#the-transaction-log")
            { task, tool, kind, status, since, until, limit };
        command.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var rows = await app.Services.GetRequiredService<ITransactionLog>().QueryAsync(new TransactionQuery
            {
                TaskId = parse.GetValue(task), Name = parse.GetValue(tool), Kind = parse.GetValue(kind), Status = parse.GetValue(status),
                Since = parse.GetValue(since), Until = parse.GetValue(until), Limit = parse.GetValue(limit),
            }, ct);
            var table = new CliTable("TIME", "KIND", "NAME", "TASK", "STATUS", "TRY", "MS", "TOKENS", "COST", "ARGUMENTS", "SUMMARY");
            foreach (var r in rows)
                table.AddRow(
                    r.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), r.Kind, r.Name, r.TaskId, r.Status,
                    r.Attempt.ToString(CultureInfo.InvariantCulture), r.LatencyMs.ToString("0.0", CultureInfo.InvariantCulture),
                    r.InputTokens is null ? "" : $"{r.InputTokens}/{r.OutputTokens}", r.Cost?.ToString("0.######", CultureInfo.InvariantCulture),
                    CliTable.Clip(r.Arguments, 50), CliTable.Clip(r.Summary, 50));
            table.Print();
            return 0;
        });
        return command;
    }
}
