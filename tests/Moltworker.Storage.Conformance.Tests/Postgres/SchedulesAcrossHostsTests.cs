using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;
using Moltworker.Storage.Conformance.Tests.Providers;
using Moltworker.Storage.Postgres.Schedules;
using Moltworker.Testing.Time;
using Npgsql;

namespace Moltworker.Storage.Conformance.Tests.Postgres;

/// <summary>Schedules shared by several hosts: a live host's claim holds for the others, concurrent claims never take
/// the same row, two real schedulers on one database run a due schedule once, and a dead host's run is taken over.</summary>
public sealed class SchedulesAcrossHostsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly ChatAddress Chat = new("test", "42", "7");
    private PostgresStoreSet? _stores;

    private PostgresStoreSet Stores => _stores!;

    public async Task InitializeAsync()
    {
        if (Moltworker.Testing.Postgres.TestPostgres.SkipReason is null) _stores = await PostgresStoreSet.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_stores is not null) await _stores.DisposeAsync();
    }

    private static Schedule Make(string id, DateTimeOffset next) =>
        new(id, Chat, ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), $"/run {id}") { CreatedAt = T0, NextRunAt = next };

    [PostgresFact]
    public async Task A_live_hosts_claim_holds_for_another_host_which_does_not_see_it_as_due_until_that_host_dies()
    {
        var hostA = Stores.Schedules();
        var hostB = Stores.Schedules();
        await hostA.AddAsync(Make("s1", T0), 20, default);
        await hostA.AddAsync(Make("s2", T0.AddHours(1)), 20, default);

        Assert.Equal(["s1"], (await hostA.ClaimDueAsync(T0, "a", 100, default)).Select(s => s.Id));
        Assert.Empty(await hostB.ClaimDueAsync(T0, "b", 100, default));
        Assert.Equal(T0.AddHours(1), await hostB.NextDueAsync("b", default));   // not s1: host A runs it

        // Host A's process dies: the server ends its connections (here: its presence connection is terminated).
        await Stores.Database.RunAsync(async c =>
        {
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(claim_pid, 10000) FROM schedules WHERE id = 's1'", c);
            Assert.True((bool)(await kill.ExecuteScalarAsync())!);
        });
        Assert.Equal(T0, await hostB.NextDueAsync("b", default));
        Assert.Equal(["s1"], (await hostB.ClaimDueAsync(T0, "b", 100, default)).Select(s => s.Id));
        Assert.Empty(await hostA.ClaimDueAsync(T0, "a", 100, default));   // A connects again; B's claim holds for it
    }

    [PostgresFact]
    public async Task Two_hosts_claiming_at_once_never_take_the_same_schedule()
    {
        var setup = Stores.Schedules();
        for (var i = 0; i < 200; i++) await setup.AddAsync(Make($"s{i:000}", T0.AddSeconds(-i)) with { Address = Chat with { ChatId = $"c{i}" } }, 20, default);
        var hosts = new[] { Stores.Schedules(), Stores.Schedules() };

        var claimed = await Task.WhenAll(hosts.Select((host, n) => Task.Run(async () =>
        {
            var mine = new List<string>();
            while ((await host.ClaimDueAsync(T0, $"host{n}", 7, default)) is { Count: > 0 } batch) mine.AddRange(batch.Select(s => s.Id));
            return mine;
        })));

        var all = claimed.SelectMany(ids => ids).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }

    [PostgresFact]
    public async Task Two_schedulers_on_one_database_run_each_due_schedule_once_and_a_stopped_hosts_runs_are_taken_over()
    {
        var setup = Stores.Schedules();
        for (var i = 0; i < 20; i++) await setup.AddAsync(Make($"s{i:00}", T0) with { Address = Chat with { ChatId = $"c{i}" } }, 20, default);
        var time = new FakeTimeProvider(T0);
        var chat = new GatedChat();
        var a = Host(time, chat);
        var b = Host(time, chat);

        await Task.WhenAll(a.Scheduler.StartAsync(default), b.Scheduler.StartAsync(default));
        await Task.WhenAll(a.Scheduler.Asleep, b.Scheduler.Asleep).WaitAsync(TimeSpan.FromSeconds(30));   // both made their first pass

        Assert.Equal(20, a.Scheduler.Running + b.Scheduler.Running);   // started in the passes, before they slept
        await EventuallyAsync(() => chat.Started.Count >= 20);
        Assert.Equal(20, chat.Started.Distinct().Count());   // the message id names schedule and due time: each ran once

        // One host stops mid-run (its runs stay due, its claims are released): the other takes them over when it looks again.
        var (stopping, survivor) = a.Scheduler.Running > 0 ? (a, b) : (b, a);
        var orphaned = stopping.Scheduler.Running;
        await stopping.Scheduler.StopAsync(default);
        stopping.Scheduler.Dispose();
        await stopping.Store.DisposeAsync();
        survivor.Scheduler.Wake();
        await survivor.Scheduler.Asleep.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(20, survivor.Scheduler.Running);
        await EventuallyAsync(() => chat.Started.Count >= 20 + orphaned);
        Assert.Equal(20 + orphaned, chat.Started.Count);

        chat.Open();
        await EventuallyAsync(() => survivor.Scheduler.Running == 0);
        await survivor.Scheduler.StopAsync(default);
        survivor.Scheduler.Dispose();
        Assert.All(await setup.ListAsync(null, default), s => Assert.Equal((T0.AddHours(1), T0), (s.NextRunAt, s.LastRunAt!.Value)));
    }

    /// <summary>Waits (30 s at most) until <paramref name="condition"/> holds, looking every few milliseconds.</summary>
    private static async Task EventuallyAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(10, timeout.Token);
    }

    private (Scheduler Scheduler, PostgresScheduleStore Store) Host(TimeProvider time, IChatService chat)
    {
        var options = Options.Create(new SchedulesOptions());
        var runner = new ScheduleRunner(chat, [], new EventBus(NullLogger<EventBus>.Instance), options, time, NullLogger<ScheduleRunner>.Instance);
        var store = (PostgresScheduleStore)Stores.Schedules();
        return (new Scheduler(store, runner, new ScheduleChanges(), time, NullLogger<Scheduler>.Instance), store);
    }

    /// <summary>A chat service whose runs wait until <see cref="Open"/>; records each run's message id.</summary>
    private sealed class GatedChat : IChatService
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Started { get; } = new();

        public void Open() => _gate.TrySetResult();

        public async Task<ChatReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
        {
            Started.Enqueue(message.MessageId!);
            await _gate.Task.WaitAsync(cancellationToken);
            return new ChatReply("done");
        }

        public Task<ChatReply> RunCommandAsync(string name, IReadOnlyDictionary<string, object?> arguments, ChatAddress address, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task ResetAsync(ChatAddress address, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
