using Moltworker.Storage.Conformance.Tests.Providers;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>Key-value settings and the durable inbox.</summary>
public abstract class KeyValueAndInboxSuite : StoreSuite
{
    [SkippableFact]
    public async Task Settings_are_read_back_overwritten_and_missing_keys_are_null()
    {
        var kv = Stores.KeyValues(TimeProvider.System);
        Assert.Null(await kv.GetAsync("a", default));
        await kv.SetAsync("a", "1", default);
        await kv.SetAsync("a", "2", default);
        await kv.SetAsync("b", "ünïcødé ✓", default);
        Assert.Equal("2", await kv.GetAsync("a", default));
        Assert.Equal("ünïcødé ✓", await kv.GetAsync("b", default));
    }

    [SkippableFact]
    public async Task The_inbox_stores_each_external_id_once_and_lists_pending_in_order()
    {
        var inbox = Stores.Inbox(TimeProvider.System);
        Assert.NotNull(await inbox.EnqueueAsync("telegram", "1", "chat-a", "{}", default));
        Assert.Null(await inbox.EnqueueAsync("telegram", "1", "chat-a", "{}", default));
        Assert.NotNull(await inbox.EnqueueAsync("discord", "1", "chat-b", "{}", default));
        Assert.NotNull(await inbox.EnqueueAsync("telegram", "2", "chat-a", "{}", default));

        var pending = await inbox.PendingAsync(10, default);
        Assert.Equal(["telegram:1", "discord:1", "telegram:2"], pending.Select(p => $"{p.Source}:{p.ExternalId}"));
        await inbox.CompleteAsync(pending[0].Id, null, default);
        Assert.Equal(2, (await inbox.PendingAsync(10, default)).Count);
    }

    [SkippableFact]
    public async Task Attempts_are_counted_and_a_completed_item_with_an_error_is_no_longer_pending()
    {
        var time = new Moltworker.Testing.Time.FakeTimeProvider();
        var inbox = Stores.Inbox(time);
        var item = (await inbox.EnqueueAsync("telegram", "7", "chat-a", "{\"x\":1}", default))!;
        Assert.Equal(time.GetUtcNow(), item.ReceivedAt);
        await inbox.MarkAttemptAsync(item.Id, default);
        await inbox.MarkAttemptAsync(item.Id, default);

        var pending = (await inbox.PendingAsync(10, default)).Single();
        Assert.Equal((item.Id, "{\"x\":1}", 2, time.GetUtcNow()), (pending.Id, pending.Payload, pending.Attempts, pending.ReceivedAt));
        await inbox.CompleteAsync(item.Id, "poison", default);
        Assert.Empty(await inbox.PendingAsync(10, default));
        Assert.Null(await inbox.EnqueueAsync("telegram", "7", "chat-a", "{}", default));
    }
}
