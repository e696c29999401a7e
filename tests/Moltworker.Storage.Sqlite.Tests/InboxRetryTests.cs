using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Options;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Stores;
using Moltworker.Testing.Time;

namespace Moltworker.Storage.Sqlite.Tests;

public sealed class InboxRetryTests
{
    private sealed class FlakyHandler(int failuresOfFirst) : IInboxHandler
    {
        private int _failures;
        public readonly ConcurrentQueue<string> Handled = new();
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Source => "test";

        public Task HandleAsync(InboxItem item, CancellationToken cancellationToken)
        {
            if (item.ExternalId == "a1" && _failures++ < failuresOfFirst) throw new IOException("flaky");
            Handled.Enqueue(item.ExternalId);
            if (Handled.Count == 2) Done.TrySetResult();
            return Task.CompletedTask;
        }
    }

    private static (InboxDispatcher, SqliteInboxStore) Create(IInboxHandler handler, int maxAttempts)
    {
        var dir = Path.Combine(Path.GetTempPath(), "moltworker-inbox-tests", Guid.NewGuid().ToString("N"));
        var store = new SqliteInboxStore(new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = dir }), [CoreMigrations.V1]), TimeProvider.System);
        var time = new FakeTimeProvider { AutoAdvance = true };
        return (new InboxDispatcher(store, [handler], Options.Create(new InboxOptions { MaxAttempts = maxAttempts }), NullLogger<InboxDispatcher>.Instance, time), store);
    }

    [Fact]
    public async Task A_failing_item_is_retried_in_place_and_later_items_of_its_chat_wait_for_it()
    {
        var handler = new FlakyHandler(failuresOfFirst: 2);
        var (dispatcher, store) = Create(handler, maxAttempts: 3);
        await store.EnqueueAsync("test", "a1", "chat", "{}", default);
        await store.EnqueueAsync("test", "a2", "chat", "{}", default);

        await dispatcher.StartAsync(default);
        await handler.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["a1", "a2"], handler.Handled);
        await dispatcher.StopAsync(default);
    }

    [Fact]
    public async Task An_item_that_keeps_failing_is_set_aside_after_the_last_attempt_and_the_chat_moves_on()
    {
        var handler = new FlakyHandler(failuresOfFirst: 100);
        var (dispatcher, store) = Create(handler, maxAttempts: 2);
        await dispatcher.StartAsync(default);
        await dispatcher.AcceptAsync("test", "a1", "chat", "{}", default);
        await dispatcher.AcceptAsync("test", "a2", "chat", "{}", default);
        await dispatcher.AcceptAsync("test", "a3", "chat", "{}", default);

        await handler.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["a2", "a3"], handler.Handled);
        await dispatcher.StopAsync(default);
    }
}
