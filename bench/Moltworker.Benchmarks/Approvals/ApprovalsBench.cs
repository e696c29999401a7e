using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Benchmarks.Approvals;

/// <summary>
/// <c>approvals</c>: the real web host (composition root, SQLite, all filters) on loopback with the in-test OpenAI server
/// as a scripted model. (1) Approve → dispatch: a chat turn asks for <c>bench_write</c>, which needs approval; the bench
/// approves it with <c>POST /api/approvals/{id}</c> and takes the time from just before that request is sent to the moment
/// the tool is entered (both on <see cref="Stopwatch"/> in this process), over <c>--approvals</c> (300) requests after
/// <c>--warmup</c> (30), one at a time. (2) What <c>--pending</c> (1,000) waiting requests cost: first as many ordinary
/// turns (a read-only tool, then an answer) in as many chats, so that chats, conversations and inbox rows are paid for
/// before the baseline; then as many turns that pause for approval in as many other chats. Managed heap after a full
/// compacting GC and VmRSS, before and after, each taken <c>--settle-seconds</c> (10) after the last turn (a burst of turns
/// leaves a few seconds of background work, tiered JIT among it, in either case). (3) Idle: over <c>--idle-seconds</c>
/// (20) right after each of those measurements, this process's
/// CPU time, the host's live timers on the injected <see cref="CountingTimeProvider"/> and the runtime's
/// <see cref="Timer.ActiveCount"/>: a waiting request must add no timer and no work.
/// Targets: approve → dispatch p99 under 20 ms; 1,000 pending under 5 MB; nothing while idle.
/// </summary>
public sealed class ApprovalsBench : IBench
{
    private const int PendingBase = 1_000_000;

    public string Name => "approvals";

    public async Task<int> RunAsync(string[] args)
    {
        var approvals = Option(args, "--approvals", 300);
        var warmup = Option(args, "--warmup", 30);
        var pending = Option(args, "--pending", 1000);
        var idleSeconds = Option(args, "--idle-seconds", 20);
        var settleSeconds = Option(args, "--settle-seconds", 10);
        var dir = Directory.CreateTempSubdirectory("mw-bench-approvals-");
        try
        {
            await using var model = await FakeOpenAIServer.StartAsync();
            model.RecordRequests = false;
            model.Responder = Script;
            var time = new CountingTimeProvider();
            var app = WebHostFactory.Build(
            [
                "--urls=http://127.0.0.1:0",
                $"--Moltworker:DataDirectory={dir.CreateSubdirectory("data").FullName}",
                $"--Moltworker:Plugins:Directory={dir.CreateSubdirectory("plugins").FullName}",
                "--Moltworker:Plugins:Watch=false",
                $"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=bench-model", "--Moltworker:Llm:ApiKey=sk-bench",
                "--Moltworker:Api:RateLimit:Enabled=false",
                "--Moltworker:Approvals:Timeout=02:00:00",
                "--Logging:LogLevel:Default=Warning",
            ], builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(time);
                builder.Services.AddPlugin<ApprovalBenchTools>();
            });
            await app.StartAsync();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
                var answers = new ConcurrentDictionary<string, TaskCompletionSource>(StringComparer.Ordinal);
                using var subscription = app.Services.GetRequiredService<IEventBus>().Subscribe(e =>
                {
                    if (e is TaskAnswered a && answers.TryGetValue(a.TaskId, out var done)) done.TrySetResult();
                });

                // (1) Approve → dispatch.
                var dispatch = new List<double>();
                var response = new List<double>();
                for (var i = 0; i < warmup + approvals; i++)
                {
                    var taskId = await ChatAsync(http, $"approve-{i}", $"write {i}");
                    var id = (await PendingAsync(http)).Single(a => a.TaskId == taskId).Id;
                    var done = answers.GetOrAdd(taskId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    var started = Stopwatch.GetTimestamp();
                    using (var answer = await http.PostAsJsonAsync($"/api/approvals/{id}", new { approve = true, remember = false }))
                    {
                        var answered = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        if (!answer.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/approvals/{id}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
                        if (i >= warmup) response.Add(answered);
                    }
                    await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
                    if (i >= warmup) dispatch.Add(Stopwatch.GetElapsedTime(started, ApprovalBenchTools.Dispatched[i]).TotalMilliseconds);
                }
                dispatch.Sort();
                response.Sort();
                Console.WriteLine($"approve → dispatch over {dispatch.Count}: p50 {P(dispatch, .5):F2} ms, p99 {P(dispatch, .99):F2} ms, max {dispatch[^1]:F2} ms" +
                                  $" (POST answered: p50 {P(response, .5):F2} ms, p99 {P(response, .99):F2} ms)");

                // (2) Memory of waiting requests, over a baseline that already paid for as many chats.
                for (var i = 0; i < pending; i++) await ChatAsync(http, $"control-{i}", $"read {i}");
                await Task.Delay(TimeSpan.FromSeconds(settleSeconds));
                var before = Measure(time);
                var idleBefore = await IdleAsync(time, idleSeconds);
                for (var i = 0; i < pending; i++) await ChatAsync(http, $"pending-{i}", $"write {PendingBase + i}");
                var waiting = await app.Services.GetRequiredService<IApprovalStore>().ListPendingAsync(pending * 2, CancellationToken.None);
                if (waiting.Count != pending) throw new InvalidOperationException($"expected {pending} pending requests, found {waiting.Count}");
                await Task.Delay(TimeSpan.FromSeconds(settleSeconds));
                var after = Measure(time);
                var idleAfter = await IdleAsync(time, idleSeconds);
                var ranWhilePending = ApprovalBenchTools.Dispatched.Keys.Count(k => k >= PendingBase);
                Console.WriteLine($"{pending} pending: managed heap {before.HeapMb:F2} → {after.HeapMb:F2} MB (+{after.HeapMb - before.HeapMb:F2}), " +
                                  $"RSS {before.RssMb:F1} → {after.RssMb:F1} MB (+{after.RssMb - before.RssMb:F1}); live timers (host clock) " +
                                  $"{before.LiveTimers} → {after.LiveTimers}, runtime timers {before.RuntimeTimers} → {after.RuntimeTimers}");
                Console.WriteLine($"idle {idleSeconds} s: CPU {idleBefore.CpuMs:F0} ms without, {idleAfter.CpuMs:F0} ms with the pending requests; " +
                                  $"timer callbacks {idleBefore.Fired} without, {idleAfter.Fired} with; tool runs while pending: {ranWhilePending}");
                Console.WriteLine($"idle CPU per second (ms): without [{string.Join(", ", idleBefore.PerSecondMs)}], with [{string.Join(", ", idleAfter.PerSecondMs)}]");

                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    bench = Name,
                    at = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                    approvals = dispatch.Count,
                    approveToDispatchP50Ms = Math.Round(P(dispatch, .5), 2),
                    approveToDispatchP99Ms = Math.Round(P(dispatch, .99), 2),
                    approveToDispatchMaxMs = Math.Round(dispatch[^1], 2),
                    postAnsweredP99Ms = Math.Round(P(response, .99), 2),
                    pending,
                    pendingHeapMb = Math.Round(after.HeapMb - before.HeapMb, 2),
                    pendingRssMb = Math.Round(after.RssMb - before.RssMb, 1),
                    liveTimersBefore = before.LiveTimers,
                    liveTimersPending = after.LiveTimers,
                    runtimeTimersBefore = before.RuntimeTimers,
                    runtimeTimersPending = after.RuntimeTimers,
                    idleSeconds,
                    settleSeconds,
                    idleCpuMsWithout = Math.Round(idleBefore.CpuMs, 0),
                    idleCpuMsPending = Math.Round(idleAfter.CpuMs, 0),
                    idleTimerCallbacksWithout = idleBefore.Fired,
                    idleTimerCallbacksPending = idleAfter.Fired,
                    toolRunsWhilePending = ranWhilePending,
                }));
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { dir.Delete(recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The scripted model: "write n" / "read n" ask for that tool; after a tool result it answers.</summary>
    private static ScriptedReply Script(ChatRequest request)
    {
        if (request.Messages.Count > 0 && request.Messages[^1].Role == "tool") return ScriptedReply.Answer("done");
        var words = (request.LastUserText ?? "").Split(' ');
        var n = int.Parse(words[^1], CultureInfo.InvariantCulture);
        return ScriptedReply.Calls(ScriptedToolCall.Json(words[0] == "write" ? "bench_write" : "bench_read", new { n }, $"call-{n}"));
    }

    /// <summary>Sends a chat message and returns its task id (the reply comes when the turn ends or pauses).</summary>
    private static async Task<string> ChatAsync(HttpClient http, string chatId, string text)
    {
        using var response = await http.PostAsJsonAsync("/api/chat", new { chatId, userId = "bench", text });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode || body.GetProperty("isError").GetBoolean())
            throw new InvalidOperationException($"POST /api/chat: {(int)response.StatusCode} {body}");
        return body.GetProperty("taskId").GetString()!;
    }

    private static async Task<List<(string Id, string TaskId)>> PendingAsync(HttpClient http)
    {
        var body = await http.GetFromJsonAsync<JsonElement>("/api/approvals");
        return body.GetProperty("approvals").EnumerateArray()
            .Select(a => (a.GetProperty("id").GetString()!, a.GetProperty("taskId").GetString()!)).ToList();
    }

    private sealed record Snapshot(double HeapMb, double RssMb, long LiveTimers, long RuntimeTimers);

    private static Snapshot Measure(CountingTimeProvider time)
    {
        for (var i = 0; i < 3; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var rssKb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return new Snapshot(GC.GetTotalMemory(forceFullCollection: true) / 1048576.0, rssKb / 1024, time.LiveTimers, Timer.ActiveCount);
    }

    /// <summary>This process's CPU time (in total and per second) and the host clock's timer callbacks over
    /// <paramref name="seconds"/> of doing nothing.</summary>
    private static async Task<Idle> IdleAsync(CountingTimeProvider time, int seconds)
    {
        using var process = Process.GetCurrentProcess();
        var fired = time.Fired;
        var start = process.TotalProcessorTime;
        var last = start;
        var slices = new List<double>();
        for (var s = 0; s < seconds; s++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            process.Refresh();
            var now = process.TotalProcessorTime;
            slices.Add(Math.Round((now - last).TotalMilliseconds));
            last = now;
        }
        return new Idle((last - start).TotalMilliseconds, time.Fired - fired, slices);
    }

    private sealed record Idle(double CpuMs, long Fired, List<double> PerSecondMs);

    private static double P(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }
}
