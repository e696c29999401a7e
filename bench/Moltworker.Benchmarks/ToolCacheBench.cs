using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Abstractions;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Kernel.Options;
using Moltworker.Storage.Sqlite.Caching;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Journal;

namespace Moltworker.Benchmarks;

/// <summary>
/// The tool-result cache section of the <c>context</c> bench: the filter's work on a hit (rule, canonical key, memory
/// lookup, freshness, result) against a direct call to an in-process tool that answers at once, and what a miss adds
/// around the call (a lookup through both levels and the store, awaited, into a SQLite second level). Each is timed
/// per call, after a warm-up, with the filter's own <see cref="ToolCacheFilter.ServeAsync"/> (no kernel around it).
/// </summary>
public static class ToolCacheBench
{
    public readonly record struct Result(double HitP50, double HitP99, double DirectP50, double DirectP99, double MissP50, double MissP99);

    public static Result Run(int calls) => RunAsync(calls).GetAwaiter().GetResult();

    private static async Task<Result> RunAsync(int calls)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mw-bench-toolcache-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(SqliteDatabase.ForFile(Path.Combine(dir, "bench.db"), [JournalMigrations.V1, ToolCacheMigrations.V1]));
        services.AddOptions<ToolCacheOptions>();
        services.AddKeyedHybridCache(ToolCacheServices.Key, o => o.DistributedCacheServiceKey = ToolCacheServices.Key);
        services.AddToolCacheStore<SqliteToolCacheStore>();
        services.AddSingleton<ToolCacheRules>();
        services.AddSingleton(sp => new ToolCacheFilter(sp.GetRequiredKeyedService<HybridCache>(ToolCacheServices.Key),
            sp.GetRequiredService<ToolCacheRules>(), TimeProvider.System));
        await using var provider = services.BuildServiceProvider();
        var filter = provider.GetRequiredService<ToolCacheFilter>();

        var tool = AIFunctionFactory.Create((string city) => $"{city}: 21 °C, light wind from the west, clear sky until the evening",
            new AIFunctionFactoryOptions
            {
                Name = "get_weather",
                AdditionalProperties = new Dictionary<string, object?> { [ToolMetadata.Key] = new ToolMetadata { CacheTtl = TimeSpan.FromMinutes(10) } },
            });
        async Task Direct(CallContext call) => call.Result = ToolResult.Ok((await tool.InvokeAsync(call.Arguments))?.ToString() ?? "");

        var direct = await TimeAsync(calls, i => Direct(Call(tool, "Paris")));
        await filter.ServeAsync(Call(tool, "Paris"), Direct);   // stored: every call below is a hit
        var hit = await TimeAsync(calls, async i =>
        {
            var call = Call(tool, "Paris");
            await filter.ServeAsync(call, static _ => throw new InvalidOperationException("a hit must not call the tool"));
            if (call.Result?.Cached != true) throw new InvalidOperationException("expected a hit");
        });
        // A miss: the same direct call, plus the lookup before it and the store after it (a new city each time).
        var missTotal = await TimeAsync(calls / 10, i => filter.ServeAsync(Call(tool, $"city {i}"), Direct));

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, true); } catch (IOException) { }
        return new(hit.P50, hit.P99, direct.P50, direct.P99, Math.Max(0, missTotal.P50 - direct.P50), Math.Max(0, missTotal.P99 - direct.P99));
    }

    private static CallContext Call(AIFunction tool, string city) => new()
    {
        Call = new FunctionCallContent("c1", tool.Name, new Dictionary<string, object?> { ["city"] = city }),
        Function = tool,
        Arguments = new AIFunctionArguments(new Dictionary<string, object?> { ["city"] = city }),
        Tool = new ToolContext { TaskId = "bench", CallId = "c1", UserId = "u1" },
    };

    private static async Task<(double P50, double P99)> TimeAsync(int count, Func<int, Task> work)
    {
        for (var i = -Math.Min(1_000, count); i < 0; i++) await work(i - 1_000_000);   // warm-up, on other keys for a miss
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await work(i);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(samples);
        return (samples[count / 2], samples[Math.Min(count - 1, (int)(count * 0.99))]);
    }
}
