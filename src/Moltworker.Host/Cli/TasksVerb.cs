using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker tasks list | show &lt;id&gt; | resolve &lt;id&gt; --skip|--run-again</c>: durable tasks, their journal,
/// and the user's decision on an in-doubt side effect.</summary>
public sealed class TasksVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var status = new Option<DurableTaskStatus?>("--status") { Description = "Only tasks with this status (Running, Paused, Completed, Failed)" };
        var limit = new Option<int>("--limit") { Description = "How many tasks", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "List tasks, newest first, with the auto-resume rate") { status, limit };
        list.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var store = app.Services.GetRequiredService<ITaskStore>();
            var tasks = await store.ListAsync(parse.GetValue(status), parse.GetValue(limit), ct);
            var table = new CliTable("ID", "STATUS", "AGENT", "PHASE", "STEP", "RESUMES", "CHAT", "CREATED", "LAST ERROR");
            foreach (var t in tasks)
                table.AddRow(t.Id, t.Status.ToString(), t.Agent, t.Phase, Num(t.Step), Num(t.AutoResumeCount),
                    $"{t.Address.Channel}:{t.Address.ChatId}", t.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), CliTable.Clip(t.LastError, 60));
            table.Print();
            var stats = await store.StatsAsync(ct);
            Console.WriteLine($"{stats.Total} tasks: {stats.Running} running, {stats.Paused} paused, {stats.Completed} completed, {stats.Failed} failed; " +
                              $"auto-resume rate {stats.AutoResumeRate:0.###} per task ({stats.AutoResumes} resumes, {stats.TasksWithAutoResume} tasks resumed)");
            return 0;
        });

        var id = new Argument<string>("id") { Description = "The task id" };
        var show = new Command("show", "Show a task: status, checkpoint, journaled calls and model/tool transactions") { id };
        show.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var taskId = parse.GetValue(id)!;
            var task = await app.Services.GetRequiredService<ITaskStore>().GetAsync(taskId, ct);
            if (task is null) { await Console.Error.WriteLineAsync($"error: no task {taskId}"); return 1; }
            Console.WriteLine($"Task {task.Id}: {task.Status}, agent {task.Agent}, phase {task.Phase}, step {task.Step}, chat {task.Address.Channel}:{task.Address.ChatId}");
            Console.WriteLine($"Created {task.CreatedAt:O}, updated {task.UpdatedAt:O}; auto-resumes {task.AutoResumeCount}; deaths without progress {task.Deaths}");
            if (task.LastError is { } error) Console.WriteLine($"Last error: {error}");
            if (task.FinalText is { } text) Console.WriteLine($"Answer: {text}");
            var journal = await app.Services.GetRequiredService<IToolJournal>().ListAsync(taskId, ct);
            Console.WriteLine();
            var steps = new CliTable("STEP", "CALL", "TOOL", "EFFECTS", "RUNS", "ATTEMPTS", "STATUS", "RESULT");
            foreach (var e in journal)
                steps.AddRow(Num(e.Step), e.CallId, e.Tool, e.SideEffects ? "yes" : "no", Num(e.Runs), Num(e.Attempts),
                    e.Status?.ToString() ?? "IN DOUBT", CliTable.Clip(e.Content, 60));
            steps.Print();
            var usage = (await app.Services.GetRequiredService<ITransactionLog>().QueryAsync(new TransactionQuery { TaskId = taskId, Kind = "model", Limit = 1000 }, ct));
            Console.WriteLine($"\nModel calls: {usage.Count}, tokens in {usage.Sum(u => u.InputTokens ?? 0)}, out {usage.Sum(u => u.OutputTokens ?? 0)}, cost ${usage.Sum(u => u.Cost ?? 0):0.######}");
            return 0;
        });

        var skip = new Option<bool>("--skip") { Description = "Treat the in-doubt calls as not done (the model is told so)" };
        var again = new Option<bool>("--run-again") { Description = "Run the in-doubt calls again (you checked they had no effect)" };
        var resolve = new Command("resolve", "Decide on a paused task's in-doubt calls; it resumes at the gateway's next start") { id, skip, again };
        resolve.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(skip) == parse.GetValue(again)) { await Console.Error.WriteLineAsync("error: give exactly one of --skip or --run-again"); return 1; }
            using var app = await host.CreateAsync(ct);
            var taskId = parse.GetValue(id)!;
            var store = app.Services.GetRequiredService<ITaskStore>();
            var task = await store.GetAsync(taskId, ct);
            if (task is not { Status: DurableTaskStatus.Paused }) { await Console.Error.WriteLineAsync($"error: task {taskId} is not paused"); return 1; }
            var journal = app.Services.GetRequiredService<IToolJournal>();
            var doubts = (await journal.ListAsync(taskId, ct)).Where(e => !e.HasResult).ToList();
            foreach (var entry in doubts)
            {
                if (parse.GetValue(skip))
                    await journal.RecordResultAsync(entry.Key, taskId, ToolResult.Skipped("the process stopped while this call ran and the user chose not to run it again; its effect is unknown"),
                        entry.Attempts, app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
                else await journal.ForgetAsync(entry.Key, ct);
            }
            await store.ReleaseAsync(taskId, ct);
            Console.WriteLine($"Task {taskId}: {doubts.Count} in-doubt call(s) {(parse.GetValue(skip) ? "skipped" : "will run again")}; it resumes when the gateway starts next.");
            return 0;
        });
        // Configuration options (--Moltworker:DataDirectory=…) pass through to the host, as for the other verbs.
        foreach (var sub in new[] { list, show, resolve }) sub.TreatUnmatchedTokensAsErrors = false;
        return new Command("tasks", "Durable tasks: list them, show one with its journal, decide on in-doubt calls. Docs: docs/filters-tasks-durability.md#resume-after-a-crash") { list, show, resolve };
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
