using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Options;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Stores;

namespace Moltworker.Storage.Sqlite.Tests;

public sealed class InboxDispatcherTests
{
    private sealed class GatedHandler : IInboxHandler
    {
        public readonly ConcurrentQueue<string> Started = new();
        public readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();
        public readonly TaskCompletionSource BothChatsRunning = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running;
        public string Source => "test";

        public async Task HandleAsync(InboxItem item, CancellationToken cancellationToken)
        {
            Started.Enqueue(item.ExternalId);
            if (Interlocked.Increment(ref _running) == 2) BothChatsRunning.TrySetResult();
            await Gates.GetOrAdd(item.ExternalId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _running);
        }

        public void Release(string id) => Gates.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    [Fact]
    public async Task One_chat_is_handled_in_order_while_two_chats_run_concurrently()
    {
        var dir = Path.Combine(Path.GetTempPath(), "moltworker-inbox-tests", Guid.NewGuid().ToString("N"));
        var store = new CompletionSignallingStore(new SqliteInboxStore(new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = dir }), [CoreMigrations.V1]), TimeProvider.System), 3);
        var handler = new GatedHandler();
        var dispatcher = new InboxDispatcher(store, [handler], Options.Create(new InboxOptions()), NullLogger<InboxDispatcher>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await dispatcher.StartAsync(cts.Token);

        await dispatcher.AcceptAsync("test", "a1", "chat-a", "{}", cts.Token);
        await dispatcher.AcceptAsync("test", "a2", "chat-a", "{}", cts.Token);
        await dispatcher.AcceptAsync("test", "b1", "chat-b", "{}", cts.Token);
        Assert.False(await dispatcher.AcceptAsync("test", "a1", "chat-a", "{}", cts.Token));

        await handler.BothChatsRunning.Task.WaitAsync(cts.Token);       // a1 and b1 at the same time
        Assert.DoesNotContain("a2", handler.Started);                     // a2 waits for a1
        handler.Release("b1");
        handler.Release("a1");
        handler.Release("a2");
        await store.AllCompleted.WaitAsync(cts.Token);
        Assert.Empty(await store.PendingAsync(10, cts.Token));

        var order = handler.Started.ToList();
        Assert.True(order.IndexOf("a1") < order.IndexOf("a2"));
        Assert.Equal(3, order.Count);
        await dispatcher.StopAsync(CancellationToken.None);
    }
}
