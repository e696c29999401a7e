using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Runtime;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>events</c>: the host in this process (<see cref="WebHostFactory"/>) on loopback with the fake OpenAI server.
/// 1. Event latency: the kernel publishes an event (on the event bus, as the filters do) and a WebSocket client on
///    <c>/api/ws</c> reads it; one at a time, p50/p99 over <c>--events</c>. 2. One-tool turns over <c>/api/chat</c> (a model
///    call asking for one tool call, the tool, a second model call) with events stored and with
///    <c>Moltworker:Events:Store=false</c>, in alternating rounds, p50 of each. 3. Turn p50/p99 with <c>--subscribers</c> SSE
///    clients reading <c>/api/events</c> from another process (<see cref="SseReaderProcess"/>) against none, with a profile
///    of where the time goes, <c>--subscriber-runs</c> times. Each host gets <c>--warmup</c> turns first (in part 3, and
///    then until the JIT is quiet, <see cref="JitWarmup"/>); 0 for
///    <c>--events</c>, <c>--rounds</c> or <c>--subscribers</c> skips that part.
/// </summary>
public sealed class EventsBench : IBench
{
    public string Name => "events";

    /// <summary><c>--stream-write-rate</c>: the hosts' <c>Moltworker:Events:StreamWriteRate</c> (-1: the default).</summary>
    private static int s_writeRate = -1;

    /// <summary><c>--arrangements</c>: which arrangements of the subscribers to measure, comma-separated (<c>idle</c>,
    /// <c>following</c>, <c>unfiltered</c>).</summary>
    private static string[] s_arrangements = ["idle", "following", "unfiltered"];

    /// <summary><c>--rate</c>: the measured turns' offered rate, turns a second (0: each as soon as the one before answered).</summary>
    private static double s_rate;

    /// <summary><c>--readers-idle</c>: the readers' process runs under Linux's idle scheduling class (<c>chrt --idle</c>).</summary>
    private static bool s_readersIdle;

    public async Task<int> RunAsync(string[] args)
    {
        if (SseReaderProcess.IsReaderMode(args)) return await SseReaderProcess.RunReadersAsync(args);
        var turns = IntArg(args, "--turns", 2000);
        var warmup = IntArg(args, "--warmup", 1500);
        var rounds = IntArg(args, "--rounds", 3);
        var events = IntArg(args, "--events", 5000);
        var subscribers = IntArg(args, "--subscribers", 1000);
        var subscriberRuns = IntArg(args, "--subscriber-runs", 1);
        s_writeRate = IntArg(args, "--stream-write-rate", -1);
        s_rate = IntArg(args, "--rate", 0);
        s_readersIdle = args.Contains("--readers-idle");
        if (Array.IndexOf(args, "--arrangements") is var a and >= 0 && a + 1 < args.Length) s_arrangements = args[a + 1].Split(',');
        await using var model = await FakeOpenAIServer.StartAsync();
        model.RecordRequests = false;
        model.Responder = request => request.Messages.Count > 0 && request.Messages[^1].Role == "tool"
            ? ScriptedReply.Answer("The text has 3 words.")
            : ScriptedReply.Call("bench_count", """{"text":"one two three"}""");
        Console.WriteLine($"events bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");

        if (events > 0)
        await using (var host = await StartAsync(model, store: true))
        {
            await TurnsAsync(host.Http, warmup);
            var latency = await EventLatencyAsync(host, events);
            Console.WriteLine($"publish → WebSocket read: p50 {Percentile(latency, 50):F3} ms, p99 {Percentile(latency, 99):F3} ms ({events} events)");
        }

        var stored = new List<double>();
        var unstored = new List<double>();
        for (var round = 0; round < rounds; round++)
            foreach (var store in new[] { true, false })
            {
                await using var host = await StartAsync(model, store);
                await TurnsAsync(host.Http, warmup);
                (store ? stored : unstored).AddRange(await TurnsAsync(host.Http, turns));
            }
        if (rounds > 0) Console.WriteLine($"one-tool turn p50: events stored {Percentile(stored, 50):F3} ms, not stored {Percentile(unstored, 50):F3} ms, " +
                          $"difference {Percentile(stored, 50) - Percentile(unstored, 50):+0.000;-0.000} ms ({stored.Count} turns each)");

        for (var run = 0; run < subscriberRuns && subscribers > 0; run++)
            await SubscribersAsync(model, subscribers, turns, warmup);
        return 0;
    }

    /// <summary>Turn p50/p99 with no subscriber, then with <paramref name="subscribers"/> SSE readers in another process
    /// (<see cref="SseReaderProcess"/>) in up to three arrangements (<c>--arrangements</c>), and where the time goes: CPU
    /// per turn of this process (host, turn client and fake model) and of the readers, thread-pool work items per turn,
    /// the cost of one publish, the GC's pauses, and which turns a collection fell in (the p99 turns are mostly those).
    /// <b>Idle</b>: each stream follows a chat with no turns (connected, sent nothing but heartbeats).
    /// <b>Following their chats</b>: each stream follows one of the <see cref="Chats"/> chats the turns go round
    /// (<c>?chat=</c>, as a console does), so each event reaches subscribers / 50 streams. <b>Unfiltered</b>: every
    /// stream gets every event. Each arrangement gets <paramref name="warmup"/> turns with its readers connected before
    /// it is measured, as the turns without subscribers did, and each warm-up goes on until the JIT is quiet: in runs of
    /// 2026-12-04 a fixed 1,000-turn warm-up left the first run's baseline p99 at 8.7–11.1 ms against 5.4–6.7 ms in the
    /// second run of the same process, whose code the first had already tiered up.</summary>
    private static async Task SubscribersAsync(FakeOpenAIServer model, int subscribers, int turns, int warmup)
    {
        await using var host = await StartAsync(model, store: true);
        var recorder = host.App.Services.GetRequiredService<EventRecorder>();
        var warmed = await WarmAsync(host, warmup);
        var alone = await ProfiledTurnsAsync(host, turns, readers: null);
        Console.WriteLine($"turns with no subscribers ({turns} after {warmed}): p50 {Percentile(alone.Ms, 50):F3} ms, p99 {Percentile(alone.Ms, 99):F3} ms; " +
                          $"this process's CPU {alone.CpuMsPerTurn:F2} ms per turn, thread-pool items {alone.WorkItemsPerTurn:F0} per turn, one publish p50 {alone.PublishUs:F1} µs, {alone.Gc}");
        Console.WriteLine($"  {alone.ByCollection}");
        (string Key, string Label, string ChatPrefix)[] all =
            [("idle", "following chats without turns", "idle-"), ("following", "following their chats", ChatPrefix), ("unfiltered", "unfiltered", "")];
        foreach (var (_, label, chatPrefix) in all.Where(a => s_arrangements.Contains(a.Key)))
        {
            var dropped = recorder.Hub.DroppedCount;
            await using var readers = await SseReaderProcess.StartAsync(host.Http.BaseAddress!, subscribers, chatPrefix, Chats, s_readersIdle);
            // The streams' code (pacing, framing, Kestrel's chunked writes) runs now for the first time: warm it as the
            // turns were, so the JIT's tiering does not land in the measured turns.
            var warmedCrowded = await WarmAsync(host, warmup);
            var crowded = await ProfiledTurnsAsync(host, turns, readers);
            var (bytes, reads) = await readers.StopAsync();
            var p99 = Percentile(crowded.Ms, 99);
            Console.WriteLine($"turns with {subscribers} SSE subscribers {label} (another process; {turns} after {warmedCrowded}): p50 {Percentile(crowded.Ms, 50):F3} ms, " +
                              $"p99 {p99:F3} ms ({Change(p99, Percentile(alone.Ms, 99))} against none), dropped {recorder.Hub.DroppedCount - dropped}");
            Console.WriteLine($"  this process's CPU {crowded.CpuMsPerTurn:F2} ms per turn, readers' CPU {crowded.ReaderCpuMsPerTurn:F2} ms per turn, " +
                              $"thread-pool items {crowded.WorkItemsPerTurn:F0} per turn, one publish p50 {crowded.PublishUs:F1} µs, {crowded.Gc}; " +
                              $"{crowded.EventsPerTurn:F1} events per turn, the readers got {bytes / 1048576.0:F1} MB ({bytes / (double)(warmedCrowded.Turns + turns) / 1024:F1} KB per turn, " +
                              $"the warm-up's included) in {reads} socket reads");
            Console.WriteLine($"  {crowded.ByCollection}");
        }
        // The same host with no subscribers again: a machine or a process whose speed drifted over the phases shows here
        // (the first baseline is the youngest phase of the process).
        var again = await ProfiledTurnsAsync(host, turns, readers: null);
        Console.WriteLine($"turns with no subscribers again ({turns}): p50 {Percentile(again.Ms, 50):F3} ms, p99 {Percentile(again.Ms, 99):F3} ms " +
                          $"({Change(Percentile(again.Ms, 99), Percentile(alone.Ms, 99))} against the first); this process's CPU {again.CpuMsPerTurn:F2} ms per turn, {again.Gc}");
        Console.WriteLine($"  {again.ByCollection}");
    }

    /// <summary>At least <paramref name="minimum"/> turns, then until this process's JIT is quiet (<see cref="JitWarmup"/>):
    /// the host runs in process, so the count is the runtime's own.</summary>
    private static Task<JitWarmup.Result> WarmAsync(InProcessHost host, int minimum) =>
        JitWarmup.RunAsync(minimum, minimum + 20_000, count => TurnsAsync(host.Http, count), () => Task.FromResult<long?>(JitInfo.GetCompiledMethodCount()));

    private sealed record TurnProfile(List<double> Ms, double CpuMsPerTurn, double ReaderCpuMsPerTurn, double WorkItemsPerTurn, double PublishUs, double EventsPerTurn,
        double GcPauseMs, int Gen0, int Gen1, int Gen2, GcSurvivors.Totals Survived, CpuUse Machine, List<int> CollectedIn, int LateStarts, double RunQueueMsPerTurn)
    {
        /// <summary>The turns during which a gen0 collection happened, and the p50/p99 of those and of the others.</summary>
        public string ByCollection
        {
            get
            {
                var hit = CollectedIn.ToHashSet();
                var with = CollectedIn.Select(i => Ms[i]).ToList();
                var without = Ms.Where((_, i) => !hit.Contains(i)).ToList();
                return (s_rate > 0 ? $"offered {s_rate:0.#} turns a second, {LateStarts} started over an interval late; " : "") +
                       $"{with.Count} turns had a collection: their p50 {(with.Count > 0 ? Percentile(with, 50) : 0):F3} ms; the others' p99 {Percentile(without, 99):F3} ms; " +
                       $"of the {Ms.Count / 100} slowest turns, {Ms.Select((m, i) => (m, i)).OrderByDescending(t => t.m).Take(Ms.Count / 100).Count(t => hit.Contains(t.i))} had one; " +
                       $"this process's threads waited for a CPU {RunQueueMsPerTurn:F2} ms per turn; " +
                       $"suspending threads {Survived.Suspending.TotalMilliseconds:F0} ms in all, marked from stacks {Survived.MarkedFromStacks / 1048576.0:F1} MB, from handles {Survived.MarkedFromHandles / 1048576.0:F1} MB; the collections' time: {Survived.Phases}";
            }
        }

        public string Gc => $"GC pauses {GcPauseMs:F0} ms in all (gen0/1/2 collections {Gen0}/{Gen1}/{Gen2}; promoted out of gen0 " +
                            $"{Survived.PromotedFromGen0 / 1048576.0:F1} MB, marked through older generations {Survived.MarkedFromOlder / 1048576.0:F1} MB); " +
                            $"CPU stolen by the hypervisor {Machine.StealPercent:F0} %, idle {Machine.IdlePercent:F0} %";
    }

    private static async Task<TurnProfile> ProfiledTurnsAsync(InProcessHost host, int turns, SseReaderProcess? readers)
    {
        var recorder = host.App.Services.GetRequiredService<EventRecorder>();
        var self = Process.GetCurrentProcess();
        // Every phase starts from the same heap: a full compacting collection first. Without it each phase inherited what
        // the ones before had promoted (40-60 MB each, with one gen2 collection in several phases), and each gen0
        // collection took longer the older the process: in runs of 2026-12-05 the no-subscriber turns measured again
        // after the streams had gone had GC pauses 1.3 to 2.3 times the first phase's, and p99 27-47 % higher.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var publishUs = PublishCost(host.App.Services.GetRequiredService<IEventBus>(), 200);
        self.Refresh();
        var cpu = self.TotalProcessorTime;
        var readerCpu = readers?.CpuTime ?? TimeSpan.Zero;
        var items = ThreadPool.CompletedWorkItemCount;
        var firstId = recorder.LastId;
        var pause = GC.GetTotalPauseDuration();
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var machine = CpuShare.Now();
        var survivors = GcSurvivors.Now();
        var queued = RunQueueWait.Now();
        var collectedIn = new List<int>();
        var late = new StrongBox<int>();
        var ms = await TurnsAsync(host.Http, turns, s_rate, late, collectedIn);
        var waited = queued.Since();
        var survived = GcSurvivors.Since(survivors);
        var used = CpuShare.Now().Since(machine);
        self.Refresh();
        return new TurnProfile(ms, (self.TotalProcessorTime - cpu).TotalMilliseconds / turns,
            ((readers?.CpuTime ?? TimeSpan.Zero) - readerCpu).TotalMilliseconds / turns,
            (double)(ThreadPool.CompletedWorkItemCount - items) / turns, publishUs, (double)(recorder.LastId - firstId) / turns,
            (GC.GetTotalPauseDuration() - pause).TotalMilliseconds,
            GC.CollectionCount(0) - collections[0], GC.CollectionCount(1) - collections[1], GC.CollectionCount(2) - collections[2], survived, used, collectedIn, late.Value, waited.TotalMilliseconds / turns);
    }

    /// <summary>The p50, in µs, of publishing one event on the bus (numbering, queueing for the log, handing to the hub).</summary>
    private static double PublishCost(IEventBus bus, int count)
    {
        var address = new ChatAddress("bench", "probe");
        var us = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            bus.Publish(new PoStateChanged("bench-probe", address, PoStatus.Thinking));
            us.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
        return Percentile(us, 50);
    }

    private static async Task<List<double>> EventLatencyAsync(InProcessHost host, int count)
    {
        var bus = host.App.Services.GetRequiredService<IEventBus>();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(host.Http.BaseAddress!.ToString().Replace("http", "ws", StringComparison.Ordinal) + "api/ws?task=bench-latency"), CancellationToken.None);
        var address = new ChatAddress("bench", "latency");
        var buffer = new byte[64 * 1024];
        var ms = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            bus.Publish(new PoStateChanged("bench-latency", address, PoStatus.Thinking));
            WebSocketReceiveResult result;
            do result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            while (!result.EndOfMessage);
            ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return ms;
    }

    /// <summary>The turns go round this many chats, <c>bench-0</c> to <c>bench-49</c>.</summary>
    private const int Chats = 50;
    private const string ChatPrefix = "bench-";

    /// <summary>Turns one after another, each as soon as the one before answered; with <paramref name="rate"/> above 0,
    /// turn <c>i</c> starts no earlier than <c>i / rate</c> seconds after the first (an offered load), and
    /// <paramref name="lateStarts"/> counts the turns that could not start within a whole interval of their time
    /// because the one before was still running. <paramref name="collectedIn"/> gets the index of each turn during which
    /// a gen0 collection happened.</summary>
    private static async Task<List<double>> TurnsAsync(HttpClient http, int count, double rate = 0, StrongBox<int>? lateStarts = null,
        List<int>? collectedIn = null)
    {
        var ms = new List<double>(count);
        var first = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds(i / rate) - Stopwatch.GetElapsedTime(first);
                if (due > TimeSpan.Zero) await Task.Delay(due);
                else if (-due > TimeSpan.FromSeconds(1 / rate) && lateStarts is not null) lateStarts.Value++;
            }
            var collections = GC.CollectionCount(0);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync("/api/chat", new { chatId = $"{ChatPrefix}{i % Chats}", text = "count the words" });
            response.EnsureSuccessStatusCode();
            ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (GC.CollectionCount(0) != collections) collectedIn?.Add(i);
        }
        return ms;
    }

    private static async Task<InProcessHost> StartAsync(FakeOpenAIServer model, bool store)
    {
        var data = Directory.CreateTempSubdirectory("mw-events-bench-");
        var app = WebHostFactory.Build(
        [
            "--urls=http://127.0.0.1:0", $"--Moltworker:DataDirectory={data.FullName}", $"--Moltworker:Plugins:Directory={data.CreateSubdirectory("plugins").FullName}",
            $"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=gpt-4o-mini", "--Moltworker:Llm:ApiKey=sk-bench",
            "--Moltworker:Api:RateLimit:Enabled=false", "--Moltworker:Agent:HistoryMessages=4", $"--Moltworker:Events:Store={store}",
            "--Moltworker:Events:SubscriberBuffer=4096", "--Logging:LogLevel:Default=Warning",
            .. s_writeRate >= 0 ? [$"--Moltworker:Events:StreamWriteRate={s_writeRate}"] : Array.Empty<string>(),
        ], builder => builder.Services.AddPlugin<BenchTools>());
        await app.StartAsync();
        return new InProcessHost(app, data);
    }

    /// <summary>How much <paramref name="value"/> is above or below <paramref name="reference"/>, as "+12 %" or "-3 %"
    /// (rounded first, so a change under half a percent is "0 %", not "-0 %").</summary>
    private static string Change(double value, double reference) =>
        Math.Round((value / reference - 1) * 100).ToString("+0;-0;0", CultureInfo.InvariantCulture) + " %";

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>The turn's one tool: counts words, read-only.</summary>
    public sealed class BenchTools
    {
        [KernelFunction("bench_count"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Counts words")]
        public int Count([Description("text")] string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    private sealed class InProcessHost(WebApplication app, DirectoryInfo data) : IAsyncDisposable
    {
        public WebApplication App => app;
        public HttpClient Http { get; } = new() { BaseAddress = new Uri(app.Urls.First()) };

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { data.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
