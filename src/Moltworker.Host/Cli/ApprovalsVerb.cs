using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Approvals;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker approvals list | approve &lt;id&gt; [--remember] | deny &lt;id&gt;</c>: tool calls waiting for a person.
/// The CLI answers as an operator (any request) and only records the answer; the running gateway resumes the task at its
/// next approvals sweep (<c>Moltworker:Approvals:SweepInterval</c>), or at its next start.</summary>
public sealed class ApprovalsVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var list = new Command("list", "List the calls waiting for approval, oldest first");
        list.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var table = new CliTable("ID", "TOOL", "CHAT", "REQUESTER", "TASK", "EXPIRES", "ARGUMENTS");
            foreach (var r in await app.Services.GetRequiredService<IApprovalStore>().ListPendingAsync(500, ct))
                table.AddRow(r.Id, r.Tool, $"{r.Address.Channel}:{r.Address.ChatId}", r.Address.UserId ?? "", r.TaskId,
                    r.ExpiresAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Shorten(r.Arguments, 60));
            table.Print();
            return 0;
        });

        var approveId = new Argument<string>("id") { Description = "The request's id (approvals list)" };
        var remember = new Option<bool>("--remember") { Description = "Also let this tool run in this chat without asking for Moltworker:Approvals:RememberFor" };
        var approve = new Command("approve", "Approve a waiting call: it runs once when the task resumes") { approveId, remember };
        approve.SetAction((parse, ct) => AnswerAsync(host, parse.GetValue(approveId)!, true, parse.GetValue(remember), ct));

        var denyId = new Argument<string>("id") { Description = "The request's id (approvals list)" };
        var deny = new Command("deny", "Deny a waiting call: it never runs, and the model is told who denied it") { denyId };
        deny.SetAction((parse, ct) => AnswerAsync(host, parse.GetValue(denyId)!, false, false, ct));

        foreach (var sub in new[] { list, approve, deny }) sub.TreatUnmatchedTokensAsErrors = false;
        return new Command("approvals", "Tool calls waiting for a person: list them, approve or deny one. Docs: docs/approvals.md") { list, approve, deny };
    }

    private static async Task<int> AnswerAsync(CliHost host, string id, bool approve, bool remember, CancellationToken ct)
    {
        using var app = await host.CreateAsync(ct);
        var decider = new ApprovalDecider("cli", Environment.UserName, IsOperator: true);
        var decision = await app.Services.GetRequiredService<ApprovalResolver>().DecideAsync(id, approve, remember, decider, ct);
        switch (decision.Answer)
        {
            case ApprovalAnswer.NotFound:
                await Console.Error.WriteLineAsync($"error: there is no approval request {id}");
                return 1;
            case ApprovalAnswer.AlreadyAnswered:
                var r = decision.Request!;
                await Console.Error.WriteLineAsync($"error: request {id} was already answered: {r.Status.ToString().ToLowerInvariant()}{(r.DecidedBy is null ? "" : $" by {r.DecidedBy}")}; nothing changed");
                return 1;
            case ApprovalAnswer.NotAllowed:
                await Console.Error.WriteLineAsync($"error: not allowed to answer {id}");
                return 1;
        }
        Console.WriteLine($"Request {id} ({decision.Request!.Tool}) {(approve ? "approved" : "denied")}; task {decision.Request.TaskId} resumes at the gateway's next approvals sweep.");
        return 0;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
