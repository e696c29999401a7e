using Microsoft.Extensions.AI;
using Moltworker.Kernel.Models;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.Models;

/// <summary>Retries (the model's HttpClient, Microsoft.Extensions.Http.Resilience), Retry-After and catalog fallbacks
/// (<see cref="ResilientChatClient"/>), over real HTTP against the fake server, on a fake clock.</summary>
public sealed class ResilientChatClientTests
{
    private static readonly ChatMessage[] Hi = [new(ChatRole.User, "Hi")];

    private static readonly ModelCatalog Catalog = new([
        new ModelInfo { Id = "primary", Fallbacks = ["backup-1", "backup-2"] },
        new ModelInfo { Id = "backup-1" },
        new ModelInfo { Id = "backup-2" },
    ]);

    private static IChatClient Client(FakeOpenAIServer server, FakeTimeProvider time, int maxRetries = 2)
    {
        var options = ModelClientFactory.Options(server, "primary");
        options.MaxRetries = maxRetries;
        options.RetryBaseDelay = TimeSpan.FromSeconds(1);
        options.RetryMaxDelay = TimeSpan.FromSeconds(30);
        return ModelClientFactory.Build(options, Catalog, time);
    }

    [Fact]
    public async Task A_429_waits_exactly_the_retry_after_on_the_clock_before_retrying()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.RateLimited(7), ScriptedReply.Answer("after the wait"));
        var time = new FakeTimeProvider();
        using var client = Client(server, time);

        var call = client.GetResponseAsync(Hi);
        await time.WaitForPendingTimersAsync();
        Assert.Equal(1, server.RequestCount);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(6.9));
        Assert.Equal(1, server.RequestCount);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        var response = await call;

        Assert.Equal("after the wait", response.Text);
        Assert.Equal([TimeSpan.FromSeconds(7)], time.RequestedDelays);
        Assert.Equal(["primary", "primary"], server.Requests.Select(r => r.Model));
    }

    [Fact]
    public async Task A_500_then_success_retries_once_with_the_base_delay()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(500), ScriptedReply.Answer("fine now"));
        var time = new FakeTimeProvider { AutoAdvance = true };
        using var client = Client(server, time);

        var response = await client.GetResponseAsync(Hi);

        Assert.Equal("fine now", response.Text);
        Assert.Equal(2, server.RequestCount);
        Assert.Equal([TimeSpan.FromSeconds(1)], time.RequestedDelays);
    }

    [Fact]
    public async Task Repeated_5xx_back_off_exponentially_then_the_catalog_fallback_model_answers()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(502), ScriptedReply.Error(503), ScriptedReply.Error(500), ScriptedReply.Answer("from the backup"));
        var time = new FakeTimeProvider { AutoAdvance = true };
        using var client = Client(server, time, maxRetries: 2);

        var response = await client.GetResponseAsync(Hi);

        Assert.Equal("from the backup", response.Text);
        Assert.Equal("backup-1", response.ModelId);
        Assert.Equal(["primary", "primary", "primary", "backup-1"], server.Requests.Select(r => r.Model));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.RequestedDelays);
    }

    [Fact]
    public async Task When_every_model_keeps_failing_the_error_says_the_model_is_unavailable()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Responder = _ => ScriptedReply.Error(503);
        var time = new FakeTimeProvider { AutoAdvance = true };
        using var client = Client(server, time, maxRetries: 1);

        var ex = await Assert.ThrowsAsync<ModelUnavailableException>(() => client.GetResponseAsync(Hi));

        Assert.Contains("503", ex.Message);
        Assert.Equal(["primary", "primary", "backup-1", "backup-1", "backup-2", "backup-2"], server.Requests.Select(r => r.Model));
    }

    [Fact]
    public async Task A_401_is_not_retried_and_no_fallback_is_tried()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(401));
        var time = new FakeTimeProvider { AutoAdvance = true };
        using var client = Client(server, time);

        var ex = await Assert.ThrowsAsync<ModelConfigurationException>(() => client.GetResponseAsync(Hi));

        Assert.Contains("Moltworker:Llm:ApiKey", ex.Message);
        Assert.Equal(1, server.RequestCount);
        Assert.Empty(time.RequestedDelays);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_max_delay_moves_to_the_fallback_without_waiting()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.RateLimited(3600), ScriptedReply.Answer("backup answers"));
        var time = new FakeTimeProvider { AutoAdvance = true };
        using var client = Client(server, time);

        var response = await client.GetResponseAsync(Hi);

        Assert.Equal("backup answers", response.Text);
        Assert.Equal(["primary", "backup-1"], server.Requests.Select(r => r.Model));
        Assert.Empty(time.RequestedDelays);
    }

    [Fact]
    public async Task Streaming_is_retried_before_the_first_update_and_falls_back_too()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.RateLimited(2), ScriptedReply.Error(500), ScriptedReply.Error(500), ScriptedReply.Answer("streamed from backup"));
        var time = new FakeTimeProvider { AutoAdvance = true };
        using var client = Client(server, time, maxRetries: 2);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync(Hi)) updates.Add(u);

        Assert.Equal("streamed from backup", updates.ToChatResponse().Text);
        Assert.Equal(["primary", "primary", "primary", "backup-1"], server.Requests.Select(r => r.Model));
        Assert.All(server.Requests, r => Assert.True(r.Stream));
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], time.RequestedDelays);
    }

    [Fact]
    public async Task A_fallback_model_that_takes_no_reasoning_effort_gets_none()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(500), ScriptedReply.Answer("plain model"));
        var catalog = new ModelCatalog([
            new ModelInfo { Id = "thinker", ReasoningEffort = "medium", Fallbacks = ["plain"] },
            new ModelInfo { Id = "plain" },
        ]);
        var options = ModelClientFactory.Options(server, "thinker");
        options.MaxRetries = 0;
        options.ReasoningEffort = "high";
        using var client = ModelClientFactory.Build(options, catalog, new FakeTimeProvider { AutoAdvance = true });

        await client.GetResponseAsync(Hi);
        server.Enqueue(ScriptedReply.Error(500), ScriptedReply.Answer("plain model"));
        await client.GetResponseAsync(Hi, new ChatOptions { ModelId = "thinker", Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } });

        Assert.Equal([("thinker", "high"), ("plain", null), ("thinker", "low"), ("plain", null)], server.Requests.Select(r => (r.Model, r.ReasoningEffort)));
    }

    [Fact]
    public async Task A_request_that_times_out_is_retried()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var never = new TaskCompletionSource();
        server.Enqueue(ScriptedReply.Answer("too late").After(never.Task), ScriptedReply.Answer("in time"));
        var time = new FakeTimeProvider { AutoAdvance = true };
        var options = ModelClientFactory.Options(server, "primary");
        options.MaxRetries = 2;
        options.RequestTimeout = TimeSpan.FromMilliseconds(300);
        using var client = ModelClientFactory.Build(options, Catalog, time);

        var response = await client.GetResponseAsync(Hi);

        Assert.Equal("in time", response.Text);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_retry_after_given_as_an_http_date_is_waited_until_that_moment()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var time = new FakeTimeProvider { AutoAdvance = true };
        var until = time.GetUtcNow().AddSeconds(12).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        server.Enqueue(ScriptedReply.Error(503, null, new Dictionary<string, string> { ["Retry-After"] = until }), ScriptedReply.Answer("ok"));
        using var client = Client(server, time);

        await client.GetResponseAsync(Hi);

        Assert.Equal([TimeSpan.FromSeconds(12)], time.RequestedDelays);
    }

    [Fact]
    public async Task A_rejected_request_is_not_retried_and_surfaces_as_unavailable_with_the_reason()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(400, ScriptedReply.ErrorJson("This model's maximum context length is 8192 tokens.", code: "context_length_exceeded")));
        var time = new FakeTimeProvider { AutoAdvance = true };
        using var client = Client(server, time);

        var ex = await Assert.ThrowsAsync<ModelUnavailableException>(() => client.GetResponseAsync(Hi));

        Assert.Contains("400", ex.Message);
        Assert.Contains("maximum context length", ex.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_stream_that_breaks_after_text_was_shown_is_not_retried()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Enqueue(ScriptedReply.Answer("A long answer that breaks.") with { ChunkSize = 2, AbortStreamAfterChunks = 3, AbortWhen = seen.Task });
        server.Responder = _ => ScriptedReply.Answer("must not be asked again");
        var time = new FakeTimeProvider { AutoAdvance = true };
        using var client = Client(server, time);

        var ex = await Assert.ThrowsAsync<ModelUnavailableException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync(Hi)) seen.TrySetResult();
        });

        Assert.Contains("broke off", ex.Message);
        Assert.Equal(1, server.RequestCount);
    }
}
