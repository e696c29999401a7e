using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>context</c>: token counting of 1 MB of text (1,000,000 characters of the repository's docs/*.md, repeated as
/// needed) with o200k_base: the vocabulary's first load, the first count (the tokenizer's word cache empty) and the p50
/// of 9 counts after it (with the process's CPU time per count, to tell the work from waiting on a busy machine); and fitting a
/// 40-message conversation (about 2,000 characters each) into gpt-4o's window, p50 of 200, for a turn's first model
/// call and for a later one; the tool-result cache (<see cref="ToolCacheBench"/>); then long-term memory's recall@5 and
/// per-turn lookup cost (<see cref="MemoryRecallSection"/>). Options: <c>--runs N</c> for the counts.
/// </summary>
public sealed class ContextBench : IBench
{
    private const int Megabyte = 1_000_000;

    public string Name => "context";

    public Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 1 && args[0] == "--runs" && int.TryParse(args[1], out var n) && n > 0 ? n : 9;
        var text = Text(Megabyte);

        var load = Stopwatch.StartNew();
        var encoding = TokenEncodings.For(TokenEncodings.O200kBase);
        load.Stop();
        var first = Stopwatch.StartNew();
        var tokens = encoding.Count(text);
        first.Stop();
        var times = new double[runs];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            if (encoding.Count(text) != tokens) throw new InvalidOperationException("the count changed between runs");
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        var cpuPerCount = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / runs;
        Array.Sort(times);
        var p50 = times[runs / 2];
        Console.WriteLine($"o200k_base: vocabulary load {load.Elapsed.TotalMilliseconds:F0} ms; 1 MB = {tokens:N0} tokens; first count {first.Elapsed.TotalMilliseconds:F1} ms; p50 of {runs} {p50:F1} ms (process CPU {cpuPerCount:F1} ms a count)");

        var fit = FitP50(text, 200);
        Console.WriteLine($"fitting 40 messages into gpt-4o's window: p50 {fit.First:F3} ms a turn's first call, {fit.Later:F3} ms a later call");
        var cache = ToolCacheBench.Run(20_000);
        Console.WriteLine($"tool-result cache: a hit p50 {cache.HitP50:F4} ms, p99 {cache.HitP99:F4} ms; a direct call to an in-process tool p50 {cache.DirectP50:F4} ms, p99 {cache.DirectP99:F4} ms; a miss's lookup and store (SQLite second level) p50 {cache.MissP50:F3} ms, p99 {cache.MissP99:F3} ms");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "context", tokens_1mb = tokens, load_ms = Math.Round(load.Elapsed.TotalMilliseconds, 1),
            first_count_ms = Math.Round(first.Elapsed.TotalMilliseconds, 1), count_1mb_p50_ms = Math.Round(p50, 1), count_1mb_cpu_ms = Math.Round(cpuPerCount, 1), fit_40_first_p50_ms = Math.Round(fit.First, 3), fit_40_later_p50_ms = Math.Round(fit.Later, 3),
            cache_hit_p50_ms = Math.Round(cache.HitP50, 4), cache_hit_p99_ms = Math.Round(cache.HitP99, 4), direct_call_p99_ms = Math.Round(cache.DirectP99, 4),
            cache_miss_added_p50_ms = Math.Round(cache.MissP50, 3), cache_miss_added_p99_ms = Math.Round(cache.MissP99, 3),
        }));
        MemoryRecallSection.Run();
        return Task.FromResult(0);
    }

    /// <summary>p50 of fitting the request of a turn's first model call (every message counted) and of a later call
    /// of the same turn (the earlier messages' counts kept with the turn).</summary>
    private static (double First, double Later) FitP50(string text, int runs)
    {
        var model = new ModelCatalog(MsOptions.Create(new LlmOptions())).Get("gpt-4o");
        var window = new HistoryWindow(new TokenCounter(), new ContextBudget(MsOptions.Create(new ContextOptions())), NullLogger<HistoryWindow>.Instance);
        var earlier = new List<ChatMessage> { new(ChatRole.System, text[..4_000]) };
        for (var i = 0; i < 40; i++) earlier.Add(new(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, text.Substring(i * 2_000 + 10_000, 2_000)));
        TurnContext NewTurn() => new() { TaskId = "bench", Address = ChatAddress.Local, History = [.. earlier, new ChatMessage(ChatRole.User, "and now?")], TurnStart = earlier.Count, Model = model };
        var later = NewTurn();
        var first = new double[runs];
        var next = new double[runs];
        for (var i = -20; i < runs; i++)
        {
            var turn = NewTurn();
            var start = Stopwatch.GetTimestamp();
            if (window.Fit(turn, null).Dropped != 0) throw new InvalidOperationException("the conversation should fit gpt-4o's window");
            if (i >= 0) first[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            window.Fit(later, null);
            if (i >= 0) next[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(first);
        Array.Sort(next);
        return (first[runs / 2], next[runs / 2]);
    }

    /// <summary>Exactly <paramref name="length"/> characters of the docs (Markdown prose, tables and code).</summary>
    private static string Text(int length)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moltworker.sln"))) dir = dir.Parent;
        if (dir is null) throw new DirectoryNotFoundException("Moltworker.sln not found above the benchmark folder");
        var docs = Directory.GetFiles(Path.Combine(dir.FullName, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(File.ReadAllText).ToList();
        var text = new StringBuilder(length + 100_000);
        while (text.Length < length)
            foreach (var doc in docs) text.Append(doc).Append('\n');
        return text.ToString(0, length);
    }
}
