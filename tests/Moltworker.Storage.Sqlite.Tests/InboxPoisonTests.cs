using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Stores;
using Moltworker.Testing.Time;

namespace Moltworker.Storage.Sqlite.Tests;

/// <summary>Issue 12: a poison item is set aside after its attempts and never blocks its chat; a failing database is not
/// the item's fault and uses up none of its attempts.</summary>
public sealed class InboxPoisonTests
{
    private sealed class Handler(string poison) : IInboxHandler
    {
        public readonly ConcurrentQueue<string> Handled = new();
        public int PoisonCalls;
        public string Source => "test";

        public Task HandleAsync(InboxItem item, CancellationToken cancellationToken)
        {
            if (item.ExternalId == poison)
            {
                Interlocked.Increment(ref PoisonCalls);
                throw new InvalidOperationException("cannot digest " + poison);
            }
            Handled.Enqueue(item.ExternalId);
            return Task.CompletedTask;
        }
    }

    /// <summary>Refuses the first <paramref name="failures"/> MarkAttempt calls, as a full disk would.</summary>
    private sealed class FailingFirstStore(IInboxStore inner, int failures) : IInboxStore
    {
        private int _left = failures;
        public Task<InboxItem?> EnqueueAsync(string s, string e, string o, string p, CancellationToken ct) => inner.EnqueueAsync(s, e, o, p, ct);
        public Task<IReadOnlyList<InboxItem>> PendingAsync(int max, CancellationToken ct) => inner.PendingAsync(max, ct);
        public Task CompleteAsync(long id, string? error, CancellationToken ct) => inner.CompleteAsync(id, error, ct);

        public Task MarkAttemptAsync(long id, CancellationToken ct) =>
            Interlocked.Decrement(ref _left) >= 0 ? throw new StorageException("The disk is full.") : inner.MarkAttemptAsync(id, ct);
    }

    private static SqliteInboxStore NewStore() => new(new SqliteDatabase(Options.Create(new StorageOptions
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "moltworker-inbox-tests", Guid.NewGuid().ToString("N")),
    }), [CoreMigrations.V1]), TimeProvider.System);

    [Fact]
    public async Task A_poison_item_is_set_aside_after_its_attempts_and_its_chat_goes_on()
    {
        var sqlite = NewStore();
        var store = new CompletionSignallingStore(sqlite, 2);
        var handler = new Handler("p1");
        var dispatcher = new InboxDispatcher(store, [handler], Options.Create(new InboxOptions { MaxAttempts = 2 }),
            NullLogger<InboxDispatcher>.Instance, new FakeTimeProvider { AutoAdvance = true });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await dispatcher.StartAsync(cts.Token);

        await dispatcher.AcceptAsync("test", "p1", "chat", "{}", cts.Token);
        await dispatcher.AcceptAsync("test", "a2", "chat", "{}", cts.Token);
        await store.AllCompleted.WaitAsync(cts.Token);

        Assert.Equal(2, handler.PoisonCalls);
        Assert.Equal(["a2"], handler.Handled);
        Assert.Empty(await sqlite.PendingAsync(10, cts.Token));
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failing_database_uses_up_no_attempts_and_the_item_keeps_its_place()
    {
        var sqlite = NewStore();
        var store = new CompletionSignallingStore(new FailingFirstStore(sqlite, 3), 2);
        var handler = new Handler("none");
        var dispatcher = new InboxDispatcher(store, [handler], Options.Create(new InboxOptions { MaxAttempts = 1 }),
            NullLogger<InboxDispatcher>.Instance, new FakeTimeProvider { AutoAdvance = true });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await dispatcher.StartAsync(cts.Token);

        await dispatcher.AcceptAsync("test", "a1", "chat", "{}", cts.Token);
        await dispatcher.AcceptAsync("test", "a2", "chat", "{}", cts.Token);
        await store.AllCompleted.WaitAsync(cts.Token);

        Assert.Equal(["a1", "a2"], handler.Handled);
        await dispatcher.StopAsync(CancellationToken.None);
    }
}
