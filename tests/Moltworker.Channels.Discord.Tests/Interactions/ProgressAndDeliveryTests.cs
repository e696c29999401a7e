using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Channels.Discord.Interactions;
using Moltworker.Channels.Discord.Tests.Support;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Testing.Discord;

namespace Moltworker.Channels.Discord.Tests.Interactions;

public sealed class ProgressAndDeliveryTests
{
    private static readonly ChatAddress Me = new("discord", "c1:u1", "u1");

    [Fact]
    public async Task Progress_edits_are_throttled_and_show_the_latest_state_and_ignore_other_chats()
    {
        await using var h = await RestHarness.StartAsync();
        var bus = new EventBus(NullLogger<EventBus>.Instance);
        var reporter = new ProgressReporter(bus, Me, h.Client, "tok", TimeSpan.FromSeconds(2), h.Time, NullLogger.Instance);

        bus.Publish(new CallStarted("t", Me, "b", "1", "first_tool"));
        await h.Server.Rest.WaitForAsync(r => r.Content.Contains("first_tool", StringComparison.Ordinal));

        bus.Publish(new CallStarted("t", new ChatAddress("discord", "c1:someone-else", "x"), "b", "9", "not_mine"));
        bus.Publish(new CallStarted("t", Me, "b", "2", "second_tool"));
        bus.Publish(new CallStarted("t", Me, "b", "3", "third_tool"));
        var wait = await h.Time.WaitForTimerAsync();
        Assert.InRange(wait, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2));
        Assert.Single(h.Server.Rest.Where("PATCH", "@original"));

        h.Time.Advance(wait);
        await h.Server.Rest.WaitForAsync(r => r.Content.Contains("third_tool", StringComparison.Ordinal));
        await reporter.DisposeAsync();

        var edits = h.Server.Rest.Where("PATCH", "@original").Select(r => r.Content).ToList();
        Assert.Equal(2, edits.Count);
        Assert.DoesNotContain(edits, e => e.Contains("not_mine", StringComparison.Ordinal) || e.Contains("second_tool", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_first_edit_is_retried_when_Discord_does_not_know_the_response_yet()
    {
        await using var h = await RestHarness.StartAsync();
        h.Server.Rest.Enqueue("PATCH", "@original", new FakeResponse(404, """{"message":"Unknown Webhook","code":10015}"""));
        var delivery = new ReplyDelivery(h.Client, h.Time, NullLogger<ReplyDelivery>.Instance);
        var deliver = delivery.DeliverAsync("tok", "the answer", isError: false, CancellationToken.None);
        h.Time.Advance(await h.Time.WaitForTimerAsync());
        await deliver.WaitAsync(TimeSpan.FromSeconds(10));
        var edits = h.Server.Rest.Where("PATCH", "@original");
        Assert.Equal(2, edits.Count);
        Assert.Equal("the answer", edits[1].Content);
    }
}
