using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Transactions;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker usage [--by model|task|chat] [--since] [--until]</c>: tokens and cost from the catalog's prices.</summary>
public sealed class UsageVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var by = new Option<UsageGrouping>("--by") { Description = "Group by Model, Task or Chat", DefaultValueFactory = _ => UsageGrouping.Model };
        var since = new Option<DateTimeOffset?>("--since") { Description = "From this time" };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Before this time" };
        var command = new Command("usage", "Tokens and cost of model calls, per model, task or chat (prices from the model catalog). Docs: docs/models.md#the-model-catalog") { by, since, until };
        command.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var totals = await app.Services.GetRequiredService<ITransactionLog>().UsageAsync(parse.GetValue(by), parse.GetValue(since), parse.GetValue(until), ct);
            var table = new CliTable(parse.GetValue(by).ToString().ToUpperInvariant(), "CALLS", "INPUT", "OUTPUT", "COST (USD)");
            foreach (var t in totals)
                table.AddRow(t.Key, N(t.Calls), N(t.InputTokens), N(t.OutputTokens), t.Cost.ToString("0.######", CultureInfo.InvariantCulture));
            table.Print();
            Console.WriteLine($"Total: {N(totals.Sum(t => t.Calls))} calls, {N(totals.Sum(t => t.InputTokens))} input and {N(totals.Sum(t => t.OutputTokens))} output tokens, " +
                              $"${totals.Sum(t => t.Cost).ToString("0.######", CultureInfo.InvariantCulture)}");
            return 0;
        });
        return command;
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
