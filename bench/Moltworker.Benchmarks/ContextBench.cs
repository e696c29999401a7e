using Moltworker.Testing.Text;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.Tokenizers;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>context</c>: token counting of 1 MB of text (1,000,000 characters of the repository's docs/*.md, repeated as
/// needed) with o200k_base: the vocabulary's first load, the first count (the word counts not yet remembered) and the p50
/// of 9 counts after it (with the process's CPU time per count, to tell the work from waiting on a busy machine), beside
/// the same count on one thread and with the library alone (Microsoft.ML.Tokenizers' <c>CountTokens</c>), interleaved;
/// fitting a 40-message conversation (about 2,000 characters each) into gpt-4o's window, p50 of 200, for a turn's first
/// model call and for a later one; the tool-result cache (<see cref="ToolCacheBench"/>); whole turns that do not compact
/// with compaction off and on (<see cref="CompactionOverheadSection"/>); then long-term memory's recall@5 and per-turn
/// lookup cost (<see cref="MemoryRecallSection"/>). Options: <c>--runs N</c> for the counts, <c>--turns N</c> a side for
/// the compaction section (default 2,000), <c>--compact-at X</c> the "on" kernel's <c>CompactAt</c> (default 0.75).
/// </summary>
public sealed class ContextBench : IBench
{
    private const int Megabyte = 1_000_000;

    public string Name => "context";

    public Task<int> RunAsync(string[] args)
    {
        var runs = IntArg(args, "--runs", 9);
        var turns = IntArg(args, "--turns", 2_000);
        var text = DocsText.Of(Megabyte);

        var load = Stopwatch.StartNew();
        var encoding = TokenEncodings.For(TokenEncodings.O200kBase);
        load.Stop();
        var first = Stopwatch.StartNew();
        var tokens = encoding.Count(text);
        first.Stop();
        // The same count three ways, interleaved: the library alone (Microsoft.ML.Tokenizers' CountTokens, its own word
        // cache), Moltworker's path on one thread (a span: pre-token by pre-token, remembered counts) and on several
        // (a string over 64 KB: in pieces).
        var library = TiktokenTokenizer.CreateForEncoding(TokenEncodings.O200kBase);
        if (library.CountTokens(text) != tokens) throw new InvalidOperationException("Moltworker's count differs from the library's");
        var times = new double[runs];
        var libraryTimes = new double[runs];
        var oneThread = new double[runs];
        var cpu = TimeSpan.Zero;
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            if (library.CountTokens(text) != tokens) throw new InvalidOperationException("the count changed between runs");
            libraryTimes[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            if (encoding.Count(text.AsSpan()) != tokens) throw new InvalidOperationException("the count changed between runs");
            oneThread[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            start = Stopwatch.GetTimestamp();
            if (encoding.Count(text) != tokens) throw new InvalidOperationException("the count changed between runs");
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        }
        var cpuPerCount = cpu.TotalMilliseconds / runs;
        var p50 = Median(times);
        var libraryP50 = Median(libraryTimes);
        var oneThreadP50 = Median(oneThread);
        Console.WriteLine($"o200k_base: vocabulary load {load.Elapsed.TotalMilliseconds:F0} ms; 1 MB = {tokens:N0} tokens; first count {first.Elapsed.TotalMilliseconds:F1} ms; p50 of {runs}: " +
                          $"{p50:F1} ms (process CPU {cpuPerCount:F1} ms a count), on one thread {oneThreadP50:F1} ms, the library alone {libraryP50:F1} ms");

        var fit = FitP50(text, 200);
        Console.WriteLine($"fitting 40 messages into gpt-4o's window: p50 {fit.First:F3} ms a turn's first call, {fit.Later:F3} ms a later call");
        var cache = ToolCacheBench.Run(20_000);
        var compactAt = args.SkipWhile(a => a != "--compact-at").Skip(1).FirstOrDefault() ?? "0.75";
        var compaction = CompactionOverheadSection.Run(text, turns, compactAt);
        Console.WriteLine($"turns that do not compact ({compaction.TurnsPerSide} a side, {CompactionOverheadSection.StoredMessages} stored messages): compaction off p50 {compaction.OffP50:F3} ms, p99 {compaction.OffP99:F3} ms; " +
                          $"on (CompactAt {compactAt}, never due) p50 {compaction.OnP50:F3} ms, p99 {compaction.OnP99:F3} ms; control (a second kernel, off) p50 {compaction.ControlP50:F3} ms, p99 {compaction.ControlP99:F3} ms");
        Console.WriteLine($"tool-result cache: a hit p50 {cache.HitP50:F4} ms, p99 {cache.HitP99:F4} ms; a direct call to an in-process tool p50 {cache.DirectP50:F4} ms, p99 {cache.DirectP99:F4} ms; a miss's lookup and store (SQLite second level) p50 {cache.MissP50:F3} ms, p99 {cache.MissP99:F3} ms");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "context", tokens_1mb = tokens, load_ms = Math.Round(load.Elapsed.TotalMilliseconds, 1),
            first_count_ms = Math.Round(first.Elapsed.TotalMilliseconds, 1), count_1mb_p50_ms = Math.Round(p50, 1), count_1mb_cpu_ms = Math.Round(cpuPerCount, 1),
            count_1mb_one_thread_p50_ms = Math.Round(oneThreadP50, 1), count_1mb_library_p50_ms = Math.Round(libraryP50, 1), fit_40_first_p50_ms = Math.Round(fit.First, 3), fit_40_later_p50_ms = Math.Round(fit.Later, 3),
            cache_hit_p50_ms = Math.Round(cache.HitP50, 4), cache_hit_p99_ms = Math.Round(cache.HitP99, 4), direct_call_p99_ms = Math.Round(cache.DirectP99, 4),
            cache_miss_added_p50_ms = Math.Round(cache.MissP50, 3), cache_miss_added_p99_ms = Math.Round(cache.MissP99, 3),
            compaction_turns = compaction.TurnsPerSide, compaction_on_compact_at = compactAt, compaction_off_p50_ms = Math.Round(compaction.OffP50, 3), compaction_off_p99_ms = Math.Round(compaction.OffP99, 3),
            compaction_on_p50_ms = Math.Round(compaction.OnP50, 3), compaction_on_p99_ms = Math.Round(compaction.OnP99, 3),
            compaction_added_p50_ms = Math.Round(compaction.OnP50 - compaction.OffP50, 3), compaction_added_p99_ms = Math.Round(compaction.OnP99 - compaction.OffP99, 3),
            compaction_control_p50_ms = Math.Round(compaction.ControlP50, 3), compaction_control_p99_ms = Math.Round(compaction.ControlP99, 3),
            compaction_control_diff_p50_ms = Math.Round(compaction.ControlP50 - compaction.OffP50, 3), compaction_control_diff_p99_ms = Math.Round(compaction.ControlP99 - compaction.OffP99, 3),
        }));
        MemoryRecallSection.Run();
        return Task.FromResult(0);
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) && v > 0 ? v : fallback;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
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
}
