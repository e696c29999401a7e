using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Schedules;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Schedules;

namespace Moltworker.Storage.Sqlite.Tests.Schedules;

public sealed class SqliteScheduleStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly ChatAddress Chat = new("telegram", "42", "7");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "moltworker-storage-tests", Guid.NewGuid().ToString("N"));

    private SqliteScheduleStore Store() =>
        new(new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = _dir }), [.. CoreMigrations.All, .. ScheduleMigrations.All]));

    private static Schedule Make(string id, ScheduleTiming timing, DateTimeOffset next) =>
        new(id, Chat, timing, "/briefing") { CreatedAt = T0, NextRunAt = next };

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Every_kind_of_timing_reads_back_as_it_was_stored_from_a_new_store_on_the_same_file()
    {
        var cron = Make("aaaa0001", ScheduleTiming.ForCron("0 8 * * 1-5", "Europe/Oslo"), T0.AddHours(1));
        var every = Make("aaaa0002", ScheduleTiming.ForInterval(TimeSpan.FromMinutes(20)), T0.AddMinutes(20));
        var once = Make("aaaa0003", ScheduleTiming.ForOnce(T0.AddMinutes(5)), T0.AddMinutes(5)) with { Address = Chat with { UserId = null } };
        var store = Store();
        foreach (var s in new[] { cron, every, once }) Assert.True(await store.AddAsync(s, 20, default));

        var read = await Store().ListAsync(Chat, default);
        Assert.Equal([once, every, cron], read);   // soonest first
        Assert.Empty(await Store().ListAsync(Chat with { ChatId = "43" }, default));
    }

    [Fact]
    public async Task The_per_chat_limit_is_checked_in_the_same_transaction_as_the_insert()
    {
        var store = Store();
        Assert.True(await store.AddAsync(Make("b1", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0), 1, default));
        Assert.False(await store.AddAsync(Make("b2", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0), 1, default));
        Assert.True(await store.AddAsync(Make("b3", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0) with { Address = Chat with { ChatId = "43" } }, 1, default));
    }

    [Fact]
    public async Task A_claimed_schedule_is_not_due_again_for_its_owner_until_its_run_completes_but_a_dead_owners_claim_does_not_hold()
    {
        var store = Store();
        await store.AddAsync(Make("c1", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0), 20, default);
        await store.AddAsync(Make("c2", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0.AddHours(2)), 20, default);

        Assert.Equal(["c1"], (await store.ClaimDueAsync(T0, "host-a", 100, default)).Select(s => s.Id));
        Assert.Empty(await store.ClaimDueAsync(T0, "host-a", 100, default));
        Assert.Equal(T0.AddHours(2), await store.NextDueAsync("host-a", default));
        Assert.Equal(T0, await store.NextDueAsync("host-b", default));
        Assert.Equal(["c1"], (await store.ClaimDueAsync(T0, "host-b", 100, default)).Select(s => s.Id));   // host-a died

        await store.CompleteRunAsync("c1", new ScheduleRunOutcome(T0.AddHours(1), T0.AddMinutes(1), "boom", FailureReported: true), default);
        var c1 = (await store.GetAsync("c1", default))!;
        Assert.Equal((T0.AddHours(1), T0.AddMinutes(1), "boom", true), (c1.NextRunAt, c1.LastRunAt, c1.LastError, c1.FailureReported));
        Assert.Equal(T0.AddHours(1), await store.NextDueAsync("host-b", default));

        await store.CompleteRunAsync("c2", new ScheduleRunOutcome(null, T0, null, false), default);
        Assert.Null(await store.GetAsync("c2", default));
        await store.CompleteRunAsync("gone", new ScheduleRunOutcome(T0, T0, null, false), default);   // removed meanwhile: nothing happens
    }
}
