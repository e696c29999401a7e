using System.Net.Http.Json;
using System.Text.Json;

namespace Moltworker.Benchmarks;

/// <summary>
/// Warms a host up until its JIT is quiet. Under load a host compiles tens of thousands of methods in its first
/// seconds (each hot method again, instrumented, then optimized) and its turns cost twice the CPU until that is done:
/// on PostgreSQL about 3,000 turns at full speed on this machine. A fixed warm-up may end in the middle of it, so after
/// the <c>minimum</c> turns this runs blocks of <see cref="Block"/> turns until the host's <c>/healthz</c>
/// (<c>runtime.jit.methods</c>) counts fewer than <see cref="QuietMethods"/> new compilations in a block.
/// </summary>
public static class JitWarmup
{
    public const int Block = 250;
    public const long QuietMethods = 100;

    /// <summary>Runs <paramref name="minimum"/> turns, then blocks of <see cref="Block"/> until the JIT is quiet or
    /// <paramref name="maximum"/> turns have run. <paramref name="runTurns"/> runs the given number of turns;
    /// <paramref name="jitMethods"/> reads the JIT's count so far (null: not known, and the warm-up ends at the minimum).</summary>
    public static async Task<Result> RunAsync(int minimum, int maximum, Func<int, Task> runTurns, Func<Task<long?>> jitMethods)
    {
        await runTurns(minimum);
        var done = minimum;
        var last = await jitMethods();
        if (last is null) return new Result(done, -1, Quiet: false);
        while (done < maximum)
        {
            await runTurns(Block);
            done += Block;
            if (await jitMethods() is not { } now) break;   // the count went missing: not known to be quiet
            if (now - last.Value < QuietMethods) return new Result(done, now - last.Value, Quiet: true);
            last = now;
        }
        return new Result(done, -1, Quiet: false);
    }

    /// <summary>A fixed warm-up (<c>--fixed-warmup</c>): <paramref name="turns"/> turns, the JIT not asked.</summary>
    public static async Task<Result> FixedAsync(int turns, Func<int, Task> runTurns)
    {
        await runTurns(turns);
        return new Result(turns, -1, Quiet: false);
    }

    /// <summary>The methods the host's JIT has compiled so far, from <c>/healthz</c>.</summary>
    public static async Task<long?> JitMethodsAsync(HttpClient http)
    {
        var health = await http.GetFromJsonAsync<JsonElement>("/healthz");
        return health.TryGetProperty("runtime", out var runtime) && runtime.TryGetProperty("jit", out var jit)
            ? jit.GetProperty("methods").GetInt64()
            : null;
    }

    public readonly record struct Result(int Turns, long LastBlockMethods, bool Quiet)
    {
        public override string ToString() => Quiet
            ? $"{Turns} warm-up turns (the host's JIT compiled {LastBlockMethods} methods in the last {Block})"
            : $"{Turns} warm-up turns (the JIT not known to be quiet)";
    }
}
