using System.Text.Json.Nodes;
using Moltworker.Channels.Discord.Rest;
using Moltworker.Channels.Discord.Tests.Support;
using Moltworker.Testing.Discord;

namespace Moltworker.Channels.Discord.Tests.Rest;

public sealed class RateLimitTests
{
    private static JsonObject Msg(string text) => new() { ["content"] = text };

    [Fact]
    public async Task Exhausted_bucket_makes_the_next_request_wait_for_reset_after()
    {
        await using var h = await RestHarness.StartAsync();
        h.Server.Rest.Enqueue("PATCH", "@original", FakeResponse.Ok("bucket-a", 5, 0, 2.5, """{"id":"original"}"""));

        await h.Client.EditOriginalResponseAsync("tok1", Msg("one"), CancellationToken.None);
        var second = h.Client.EditOriginalResponseAsync("tok1", Msg("two"), CancellationToken.None);

        var wait = await h.Time.WaitForTimerAsync();
        Assert.Equal(TimeSpan.FromSeconds(2.5), wait);
        Assert.Single(h.Server.Rest.Where("PATCH", "@original"));
        Assert.False(second.IsCompleted);

        h.Time.Advance(TimeSpan.FromSeconds(2.5));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, h.Server.Rest.Where("PATCH", "@original").Count);
    }

    [Fact]
    public async Task Buckets_of_different_major_parameters_do_not_wait_for_each_other()
    {
        await using var h = await RestHarness.StartAsync();
        h.Server.Rest.Enqueue("PATCH", "@original", FakeResponse.Ok("bucket-a", 5, 0, 30, """{"id":"original"}"""));

        await h.Client.EditOriginalResponseAsync("tok1", Msg("one"), CancellationToken.None);
        // Another interaction token: another webhook, so another bucket; no wait.
        await h.Client.EditOriginalResponseAsync("tok2", Msg("two"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, h.Server.Rest.Where("PATCH", "@original").Count);
        Assert.Empty(h.Time.RequestedDelays);
    }

    [Fact]
    public async Task Bucket_429_waits_retry_after_then_retries_and_succeeds()
    {
        await using var h = await RestHarness.StartAsync();
        h.Server.Rest.Enqueue("POST", "webhooks/", FakeResponse.TooManyRequests(1.5, global: false, scope: "user", bucket: "b1"));

        var call = h.Client.CreateFollowupAsync("tok", Msg("hi"), CancellationToken.None);
        var wait = await h.Time.WaitForTimerAsync();
        Assert.Equal(TimeSpan.FromSeconds(1.5), wait);
        Assert.Single(h.Server.Rest.Where("POST", "webhooks/"));

        h.Time.Advance(TimeSpan.FromSeconds(1.5));
        var result = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("hi", result!["content"]!.GetValue<string>());
        Assert.Equal(2, h.Server.Rest.Where("POST", "webhooks/").Count);
    }

    [Fact]
    public async Task Global_429_holds_every_route_until_retry_after()
    {
        await using var h = await RestHarness.StartAsync();
        h.Server.Rest.Enqueue("PUT", "commands", FakeResponse.TooManyRequests(3, global: true, scope: "global"));

        var put = h.Client.BulkOverwriteGlobalCommandsAsync([], CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(3), await h.Time.WaitForTimerAsync());

        // A different route and bucket must wait for the global limit too.
        var other = h.Client.CreateFollowupAsync("tok", Msg("x"), CancellationToken.None);
        // Both requests now wait out the same 3 s: the PUT's retry and the other route's hold.
        await h.Time.WaitForPendingTimersAsync(2).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)], h.Time.PendingDelays);
        Assert.Empty(h.Server.Rest.Where("POST", "webhooks/"));

        h.Time.Advance(TimeSpan.FromSeconds(3));
        await Task.WhenAll(put, other).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, h.Server.Rest.Where("PUT", "commands").Count);
        Assert.Single(h.Server.Rest.Where("POST", "webhooks/"));
    }

    [Fact]
    public async Task Shared_scope_429_is_waited_out_like_a_bucket_limit()
    {
        await using var h = await RestHarness.StartAsync();
        h.Server.Rest.Enqueue("PATCH", "@original", FakeResponse.TooManyRequests(0.75, global: false, scope: "shared"));

        var call = h.Client.EditOriginalResponseAsync("tok", Msg("x"), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(0.75), await h.Time.WaitForTimerAsync());
        h.Time.Advance(TimeSpan.FromSeconds(0.75));
        await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, h.Server.Rest.Where("PATCH", "@original").Count);
    }

    [Fact]
    public async Task Persistent_429_gives_up_after_max_retries()
    {
        await using var h = await RestHarness.StartAsync();
        h.Limiter.MaxRetries = 1;
        h.Server.Rest.Enqueue("POST", "webhooks/", FakeResponse.TooManyRequests(1, false, "user"));
        h.Server.Rest.Enqueue("POST", "webhooks/", FakeResponse.TooManyRequests(1, false, "user"));

        var call = h.Client.CreateFollowupAsync("tok", Msg("x"), CancellationToken.None);
        await h.Time.WaitForTimerAsync();
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<DiscordRateLimitedException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Bot_token_is_sent_on_application_routes_but_not_on_webhook_token_routes()
    {
        await using var h = await RestHarness.StartAsync();
        await h.Client.BulkOverwriteGlobalCommandsAsync([], CancellationToken.None);
        await h.Client.EditOriginalResponseAsync("tok", Msg("x"), CancellationToken.None);
        Assert.Equal($"Bot {RestHarness.BotToken}", h.Server.Rest.Where("PUT", "commands")[0].Authorization);
        Assert.Null(h.Server.Rest.Where("PATCH", "@original")[0].Authorization);
    }

    [Fact]
    public async Task Error_statuses_become_DiscordApiException_with_the_code()
    {
        await using var h = await RestHarness.StartAsync();
        h.Server.Rest.Enqueue("PATCH", "@original", new FakeResponse(404, """{"message":"Unknown Webhook","code":10015}"""));
        var ex = await Assert.ThrowsAsync<DiscordApiException>(() => h.Client.EditOriginalResponseAsync("tok", Msg("x"), CancellationToken.None));
        Assert.Equal(10015, ex.Code);
    }
}
