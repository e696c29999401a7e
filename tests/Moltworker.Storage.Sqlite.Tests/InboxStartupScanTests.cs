using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Options;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Stores;

namespace Moltworker.Storage.Sqlite.Tests;

/// <summary>An item accepted while the dispatcher's start-up scan runs is handled once: here the scan reads it, handles
/// and finishes it before the accept that stored it gets back from the store (on .NET 10 the scan runs on the thread
/// pool, beside the first accepts). It was handled twice: the accept scheduled it again.</summary>
public sealed class InboxStartupScanTests
{
    [Fact]
    public async Task An_item_the_start_up_scan_already_handled_is_not_handled_again_when_its_accept_returns()
    {
        var store = new GatedEnqueueStore(new SqliteInboxStore(new SqliteDatabase(Options.Create(new StorageOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "moltworker-inbox-tests", Guid.NewGuid().ToString("N")),
        }), [CoreMigrations.V1]), TimeProvider.System));
        var handler = new CountingHandler();
        var dispatcher = new InboxDispatcher(store, [handler], Options.Create(new InboxOptions()), NullLogger<InboxDispatcher>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        store.HoldNext();
        var accepting = dispatcher.AcceptAsync("test", "m1", "chat", "{}", cts.Token); // stored, then held
        await store.Stored.WaitAsync(cts.Token);
        await dispatcher.StartAsync(cts.Token);                                         // the scan reads m1 and handles it
        await store.CompletedAsync("m1").WaitAsync(cts.Token);
        // Behind m1 in its chat: once m2 is done, m1's drain has moved on from it.
        await dispatcher.AcceptAsync("test", "m2", "chat", "{}", cts.Token);
        await store.CompletedAsync("m2").WaitAsync(cts.Token);

        store.Release();
        Assert.True(await accepting.WaitAsync(cts.Token));
        // Anything scheduled again for this chat runs before m3.
        await dispatcher.AcceptAsync("test", "m3", "chat", "{}", cts.Token);
        await store.CompletedAsync("m3").WaitAsync(cts.Token);

        Assert.Equal(1, handler.Calls("m1"));
        Assert.Equal(["m1", "m2", "m3"], handler.Order);
        await dispatcher.StopAsync(CancellationToken.None);
    }

    private sealed class CountingHandler : IInboxHandler
    {
        public readonly ConcurrentQueue<string> Seen = new();
        public string Source => "test";
        public IReadOnlyList<string> Order => [.. Seen];
        public int Calls(string id) => Seen.Count(s => s == id);

        public Task HandleAsync(InboxItem item, CancellationToken cancellationToken)
        {
            Seen.Enqueue(item.ExternalId);
            return Task.CompletedTask;
        }
    }

    /// <summary>Holds the next enqueue after it was stored, until released; signals each item's completion by external id.</summary>
    private sealed class GatedEnqueueStore(IInboxStore inner) : IInboxStore
    {
        private readonly TaskCompletionSource _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<long, string> _ids = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _completed = new();
        private int _hold;

        public Task Stored => _stored.Task;
        public void HoldNext() => _hold = 1;
        public void Release() => _release.TrySetResult();
        public Task CompletedAsync(string externalId) => Completion(externalId).Task;

        private TaskCompletionSource Completion(string externalId) =>
            _completed.GetOrAdd(externalId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public async Task<InboxItem?> EnqueueAsync(string source, string externalId, string orderKey, string payload, CancellationToken cancellationToken)
        {
            var item = await inner.EnqueueAsync(source, externalId, orderKey, payload, cancellationToken);
            if (item is not null) _ids[item.Id] = externalId;
            if (Interlocked.Exchange(ref _hold, 0) == 1)
            {
                _stored.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
            }
            return item;
        }

        public Task<IReadOnlyList<InboxItem>> PendingAsync(int max, CancellationToken cancellationToken) => inner.PendingAsync(max, cancellationToken);
        public Task MarkAttemptAsync(long id, CancellationToken cancellationToken) => inner.MarkAttemptAsync(id, cancellationToken);

        public async Task CompleteAsync(long id, string? error, CancellationToken cancellationToken)
        {
            await inner.CompleteAsync(id, error, cancellationToken);
            if (_ids.TryGetValue(id, out var externalId)) Completion(externalId).TrySetResult();
        }
    }
}
