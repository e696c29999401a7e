using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Options;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Stores;
using Moltworker.Testing.Time;

namespace Moltworker.Storage.Sqlite.Tests;

/// <summary>
/// The fence before an answer leaves the host (<see cref="InboxLease"/>): on a shared database, a host whose chat lease
/// was taken by another host while it answered (it stalled for longer than the lease) does not send its answer, and
/// leaves the item pending for the holder; a host that still holds the chat extends its lease and delivers.
/// </summary>
public sealed class InboxLeaseFenceTests
{
    /// <summary>Chat leases of a shared database, one holder at a time; <see cref="Steal"/> hands a chat to another host.</summary>
    private sealed class Leases : IHostLeases
    {
        private readonly ConcurrentDictionary<string, string> _holders = new();
        public int Acquired;
        public int Releases;
        public readonly TaskCompletionSource Released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Shared => true;
        public Task RenewAsync(string owner, TimeSpan duration, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> TryAcquireChatAsync(string orderKey, string owner, TimeSpan duration, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Acquired);
            return Task.FromResult(_holders.GetOrAdd(orderKey, owner) == owner);
        }

        public Task ReleaseChatAsync(string orderKey, string owner, CancellationToken cancellationToken)
        {
            _holders.TryRemove(new KeyValuePair<string, string>(orderKey, owner));
            Interlocked.Increment(ref Releases);
            Released.TrySetResult();
            return Task.CompletedTask;
        }

        public void Steal(string orderKey) => _holders[orderKey] = "another-host";
    }

    /// <summary>Answers each item after the fence; <see cref="StallPastLease"/> lets another host take the chat first.</summary>
    private sealed class Handler(Leases leases) : IInboxHandler
    {
        public bool StallPastLease;
        public int FailFirst;
        public readonly ConcurrentQueue<(string Id, bool First, int Attempts)> Seen = new();
        public Func<InboxItem, Task>? WhileAnswering;
        public readonly ConcurrentQueue<string> Delivered = new();
        public int Calls;
        public int Expected = 1;
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Source => "test";

        public async Task HandleAsync(InboxItem item, CancellationToken cancellationToken)
        {
            Seen.Enqueue((item.ExternalId, item.FirstDelivery, item.Attempts));
            if (Interlocked.Increment(ref Calls) <= FailFirst) throw new InvalidOperationException("handler failure");
            if (StallPastLease) leases.Steal(item.OrderKey);
            if (WhileAnswering is { } meanwhile) await meanwhile(item);
            await item.Lease.EnsureHeldAsync(cancellationToken);
            Delivered.Enqueue(item.ExternalId);
            if (Delivered.Count >= Expected) Done.TrySetResult();
        }
    }

    /// <summary>The one-statement claim of a shared store, made of the three steps it stands for; counts its calls and
    /// the inbox's own <see cref="IInboxStore.MarkAttemptAsync"/> calls go to the store beside it.</summary>
    private sealed class Claim(Leases leases, IInboxStore store) : IInboxChatClaim
    {
        public int Claims;

        public async Task<IReadOnlyList<InboxItem>?> ClaimNextAsync(string orderKey, string owner, TimeSpan duration, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Claims);
            if (!await leases.TryAcquireChatAsync(orderKey, owner, duration, cancellationToken)) return null;
            var pending = await store.PendingAsync(orderKey, cancellationToken);
            if (pending.Count > 0) await store.MarkAttemptAsync(pending[0].Id, cancellationToken);
            return pending;
        }
    }

    private static (InboxDispatcher, SqliteInboxStore) Create(IInboxHandler handler, Leases? leases, IInboxChatClaim? claim = null,
        Func<SqliteInboxStore, IInboxChatClaim>? claimOf = null, TimeProvider? time = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "moltworker-inbox-tests", Guid.NewGuid().ToString("N"));
        var store = new SqliteInboxStore(new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = dir }), [CoreMigrations.V1]), TimeProvider.System);
        var dispatcher = new InboxDispatcher(store, [handler], Options.Create(new InboxOptions()), NullLogger<InboxDispatcher>.Instance,
            time ?? new FakeTimeProvider(), leases, claim: claim ?? claimOf?.Invoke(store));
        return (dispatcher, store);
    }

    [Fact]
    public async Task A_host_that_lost_the_chat_while_answering_does_not_deliver_and_leaves_the_item_pending()
    {
        var leases = new Leases();
        var handler = new Handler(leases) { StallPastLease = true };
        var (dispatcher, store) = Create(handler, leases);
        await dispatcher.StartAsync(default);
        await dispatcher.AcceptAsync("test", "u1", "chat", "{}", default);

        await leases.Released.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the drain gave up the chat
        await dispatcher.StopAsync(default);

        Assert.Empty(handler.Delivered);
        Assert.Equal(1, handler.Calls); // not tried again here: the holder answers it
        var pending = Assert.Single(await ((IInboxStore)store).PendingAsync("chat", default));
        Assert.Equal("u1", pending.ExternalId);
    }

    [Fact]
    public async Task A_host_that_still_holds_the_chat_extends_its_lease_at_the_fence_and_delivers()
    {
        var leases = new Leases();
        var handler = new Handler(leases);
        var (dispatcher, store) = Create(handler, leases);
        await dispatcher.StartAsync(default);
        await dispatcher.AcceptAsync("test", "u1", "chat", "{}", default);

        await handler.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await leases.Released.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(default);

        Assert.Equal(["u1"], handler.Delivered);
        Assert.True(leases.Acquired >= 2, "the fence took (extended) the lease once more before delivering");
        Assert.Empty(await ((IInboxStore)store).PendingAsync("chat", default));
    }

    [Fact]
    public async Task A_chat_gives_its_lease_up_right_after_its_last_item_without_taking_it_again_first()
    {
        var leases = new Leases();
        var handler = new Handler(leases);
        var (dispatcher, _) = Create(handler, leases);
        await dispatcher.StartAsync(default);
        await dispatcher.AcceptAsync("test", "u1", "chat", "{}", default);

        await handler.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await leases.Released.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(default);

        Assert.Equal(2, leases.Acquired); // the drain's take and the fence's; none after the item to find the chat drained
        Assert.Equal(1, leases.Releases);
    }

    [Fact]
    public async Task An_item_another_host_stored_while_this_one_answered_is_answered_after_the_release()
    {
        var leases = new Leases();
        var handler = new Handler(leases) { Expected = 2 };
        var (dispatcher, store) = Create(handler, leases);
        // Another host stores the chat's next message while this one answers the first (its own try for the lease
        // fails: this host holds the chat); nothing schedules it here but the look after the release.
        handler.WhileAnswering = async item =>
        {
            if (item.ExternalId == "u1") await ((IInboxStore)store).EnqueueAsync("test", "u2", "chat", "{}", default);
        };
        await dispatcher.StartAsync(default);
        await dispatcher.AcceptAsync("test", "u1", "chat", "{}", default);

        await handler.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(default);

        Assert.Equal(["u1", "u2"], handler.Delivered);
        Assert.Empty(await ((IInboxStore)store).PendingAsync("chat", default));
    }

    [Fact]
    public async Task With_the_stores_claim_a_first_delivery_is_marked_and_its_attempt_is_counted_once()
    {
        var leases = new Leases();
        var handler = new Handler(leases);
        Claim? claim = null;
        var (dispatcher, store) = Create(handler, leases, claimOf: s => claim = new Claim(leases, s));
        await dispatcher.StartAsync(default);
        await dispatcher.AcceptAsync("test", "u1", "chat", "{}", default);

        await handler.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await leases.Released.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(default);

        Assert.Equal([("u1", true, 0)], handler.Seen);
        Assert.True(claim!.Claims >= 1);
        Assert.Equal(2, leases.Acquired); // the claim's take (through the fake) and the fence's; no separate take
        Assert.Empty(await ((IInboxStore)store).PendingAsync("chat", default));
    }

    [Fact]
    public async Task With_the_stores_claim_a_retried_item_is_not_a_first_delivery_and_each_try_counts_one_attempt()
    {
        var leases = new Leases();
        var handler = new Handler(leases) { FailFirst = 1 };
        var (dispatcher, store) = Create(handler, leases, claimOf: s => new Claim(leases, s), time: new FakeTimeProvider { AutoAdvance = true });
        await dispatcher.StartAsync(default);
        await dispatcher.AcceptAsync("test", "u1", "chat", "{}", default);

        await handler.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(default);

        Assert.Equal([("u1", true, 0), ("u1", false, 1)], handler.Seen); // counted by the claim only: 0, then 1 before the retry
    }

    [Fact]
    public async Task Without_the_stores_claim_a_shared_inbox_never_marks_a_first_delivery()
    {
        var leases = new Leases();
        var handler = new Handler(leases);
        var (dispatcher, _) = Create(handler, leases);
        await dispatcher.StartAsync(default);
        await dispatcher.AcceptAsync("test", "u1", "chat", "{}", default);

        await handler.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(default);

        Assert.Equal([("u1", false, 0)], handler.Seen);
    }

    [Fact]
    public async Task On_one_host_the_first_try_is_a_first_delivery_and_a_retry_is_not()
    {
        var handler = new Handler(new Leases()) { FailFirst = 1 };
        var (dispatcher, _) = Create(handler, leases: null, time: new FakeTimeProvider { AutoAdvance = true });
        await dispatcher.StartAsync(default);
        await dispatcher.AcceptAsync("test", "u1", "chat", "{}", default);

        await handler.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(default);

        // The retry runs the item this host read before its first try (Attempts 0 in memory): the dispatcher's count says 1.
        Assert.Equal([("u1", true, 0), ("u1", false, 1)], handler.Seen);
    }
}
