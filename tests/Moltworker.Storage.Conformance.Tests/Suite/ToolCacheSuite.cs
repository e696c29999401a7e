using Microsoft.Extensions.Caching.Distributed;
using Moltworker.Kernel.Transactions;
using Moltworker.Testing.Time;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>The tool-result cache's durable level (an <c>IDistributedCache</c> over <c>tool_cache</c>): values come back
/// byte for byte until they expire on the injected clock, absolute or sliding; a write replaces; expired rows are never
/// served and are swept; the rows outlive the store object (a restart); and the transaction log keeps the cached flag.</summary>
public abstract class ToolCacheSuite : StoreSuite
{
    private static readonly byte[] Value = [0, 1, 2, 254, 255, .. "ünïcode ✓"u8.ToArray()];

    [SkippableFact]
    public async Task A_value_is_served_until_its_absolute_expiry_on_the_injected_clock_then_never()
    {
        var time = new FakeTimeProvider();
        var cache = Stores.ToolCache(time);
        Assert.Null(await cache.GetAsync("tool:a"));
        await cache.SetAsync("tool:a", Value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });
        await cache.SetAsync("tool:b", [7], new DistributedCacheEntryOptions { AbsoluteExpiration = time.GetUtcNow().AddMinutes(1) });
        Assert.Equal(Value, await cache.GetAsync("tool:a"));
        Assert.Equal([7], cache.Get("tool:b"));

        time.Advance(TimeSpan.FromMinutes(1));   // exactly at b's expiry: gone
        Assert.Null(await cache.GetAsync("tool:b"));
        time.Advance(TimeSpan.FromMinutes(8) + TimeSpan.FromSeconds(59));
        Assert.Equal(Value, await cache.GetAsync("tool:a"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await cache.GetAsync("tool:a"));
    }

    [SkippableFact]
    public async Task A_write_replaces_the_value_and_its_expiry_and_remove_deletes_it()
    {
        var time = new FakeTimeProvider();
        var cache = Stores.ToolCache(time);
        await cache.SetAsync("tool:k", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });
        await cache.SetAsync("tool:k", [2, 2], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([2, 2], await cache.GetAsync("tool:k"));
        await cache.RemoveAsync("tool:k");
        await cache.RemoveAsync("tool:missing");
        Assert.Null(await cache.GetAsync("tool:k"));
    }

    [SkippableFact]
    public async Task A_sliding_value_lives_while_it_is_read_but_never_past_its_absolute_expiry()
    {
        var time = new FakeTimeProvider();
        var cache = Stores.ToolCache(time);
        await cache.SetAsync("tool:s", [3], new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromMinutes(2),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5),
        });
        time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Equal([3], await cache.GetAsync("tool:s"));   // read: lives to 3.5 min
        time.Advance(TimeSpan.FromMinutes(1.5));
        await cache.RefreshAsync("tool:s");                   // refreshed: lives to 5 min (capped by the absolute expiry)
        time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Equal([3], await cache.GetAsync("tool:s"));
        time.Advance(TimeSpan.FromMinutes(0.5));
        Assert.Null(await cache.GetAsync("tool:s"));

        await cache.SetAsync("tool:idle", [4], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) });
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await cache.GetAsync("tool:idle"));
    }

    [SkippableFact]
    public async Task An_expiry_in_the_past_is_refused_and_stores_nothing()
    {
        var time = new FakeTimeProvider();
        var cache = Stores.ToolCache(time);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            cache.SetAsync("tool:p", [1], new DistributedCacheEntryOptions { AbsoluteExpiration = time.GetUtcNow() }));
        Assert.Null(await cache.GetAsync("tool:p"));
    }

    [SkippableFact]
    public async Task The_sweep_deletes_expired_rows_only_and_rows_outlive_the_store_object()
    {
        var time = new FakeTimeProvider();
        var cache = Stores.ToolCache(time);
        await cache.SetAsync("tool:short", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });
        await cache.SetAsync("tool:long", [2], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });
        await cache.SetAsync("tool:forever", [3], new DistributedCacheEntryOptions());
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await cache.SweepAsync(default));
        Assert.Equal(0, await cache.SweepAsync(default));

        var restarted = Stores.ToolCache(time);
        Assert.Equal([2], await restarted.GetAsync("tool:long"));
        Assert.Equal([3], await restarted.GetAsync("tool:forever"));
        Assert.Null(await restarted.GetAsync("tool:short"));
    }

    [SkippableFact]
    public async Task The_transaction_log_keeps_whether_the_cache_answered_a_call()
    {
        var log = Stores.Transactions();
        var at = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
        await log.AppendBatchAsync([
            new TransactionRecord { At = at, Kind = "tool", Name = "get_weather", Status = "Ok", Cached = true },
            new TransactionRecord { At = at, Kind = "tool", Name = "get_time", Status = "Ok" },
        ], default);
        var rows = await log.QueryAsync(new TransactionQuery(), default);
        Assert.True(rows.Single(r => r.Name == "get_weather").Cached);
        Assert.False(rows.Single(r => r.Name == "get_time").Cached);
    }
}
