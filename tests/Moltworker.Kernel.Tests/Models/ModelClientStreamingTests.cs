using System.Text.Json;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Models;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Kernel.Tests.Models;

/// <summary>The model client, streaming (SSE), over real HTTP against the fake server: M.E.AI's adapter assembles the
/// tool-call deltas; the repair splits calls a server numbers with one index.</summary>
public sealed class ModelClientStreamingTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Weather in Oslo and Bergen?")];

    [Fact]
    public async Task Streamed_text_arrives_in_chunks_and_usage_comes_last()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("It is raining in Oslo today.") with { ChunkSize = 5, PromptTokens = 20, CompletionTokens = 7 });
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Question)) updates.Add(update);

        var textUpdates = updates.Where(u => u.Text.Length > 0).ToList();
        Assert.True(textUpdates.Count >= 5, $"expected several text chunks, got {textUpdates.Count}");
        Assert.Equal("It is raining in Oslo today.", string.Concat(textUpdates.Select(u => u.Text)));
        var response = updates.ToChatResponse();
        Assert.Equal("It is raining in Oslo today.", response.Text);
        Assert.Equal((20L, 7L, 27L), (response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount, response.Usage?.TotalTokenCount));
        Assert.Equal(ChatFinishReason.Stop, updates.Last().FinishReason);
        var request = Assert.Single(server.Requests);
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
    }

    [Fact]
    public async Task Tool_call_deltas_are_reassembled_into_whole_calls_in_order()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Calls(
            new ScriptedToolCall("weather", """{"city":"Oslo","unit":"celsius"}""", "call_1"),
            new ScriptedToolCall("weather", """{"city":"Bergen","unit":"celsius"}""", "call_2"),
            new ScriptedToolCall("time_now", "", "call_3")) with { ChunkSize = 3, Text = "Checking." });
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Question)) updates.Add(update);

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_1", "call_2", "call_3"], calls.Select(c => c.CallId));
        Assert.Equal(["weather", "weather", "time_now"], calls.Select(c => c.Name));
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.Equal("Oslo", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Equal("Bergen", ((JsonElement)calls[1].Arguments!["city"]!).GetString());
        Assert.Equal("celsius", ((JsonElement)calls[1].Arguments!["unit"]!).GetString());
        Assert.Empty(calls[2].Arguments!);
        Assert.Equal(ChatFinishReason.ToolCalls, updates.Last().FinishReason);
        Assert.Equal("Checking.", updates.ToChatResponse().Text);
        Assert.NotNull(updates.ToChatResponse().Usage);
    }

    [Fact]
    public async Task Streamed_arguments_that_are_not_json_set_the_exception()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Calls(new ScriptedToolCall("weather", "city=Oslo", "call_x")));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Question)) updates.Add(update);

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("call_x", call.CallId);
        Assert.NotNull(call.Exception);
        Assert.Empty(call.Arguments!);
        Assert.Equal("city=Oslo", call.AdditionalProperties?["raw_arguments"]);
    }

    [Fact]
    public async Task A_stream_dropped_midway_surfaces_as_an_answer_that_broke_off()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var firstSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Enqueue(ScriptedReply.Answer("This answer will be cut off somewhere.") with { ChunkSize = 2, AbortStreamAfterChunks = 4, AbortWhen = firstSeen.Task });
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var received = new List<string>();
        var ex = await Assert.ThrowsAsync<ModelUnavailableException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Question))
            {
                received.Add(update.Text);
                firstSeen.TrySetResult();
            }
        });

        Assert.Contains("broke off", ex.Message);
        var text = string.Concat(received);
        Assert.StartsWith("Th", text);
        Assert.StartsWith(text, "This a");
    }

    [Fact]
    public async Task Streaming_401_gives_the_configuration_error()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(401));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var ex = await Assert.ThrowsAsync<ModelConfigurationException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync(Question)) { }
        });
        Assert.Contains("Moltworker:Llm:ApiKey", ex.Message);
    }

    [Fact]
    public async Task Calls_that_all_carry_index_zero_are_told_apart_by_their_ids()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Calls(
            new ScriptedToolCall("weather", """{"city":"Oslo"}""", "call_a"),
            new ScriptedToolCall("weather", """{"city":"Bergen"}""", "call_b")) with { SameIndexForAllCalls = true, ChunkSize = 5 });
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Question)) updates.Add(update);

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId));
        Assert.Equal(["Oslo", "Bergen"], calls.Select(c => ((JsonElement)c.Arguments!["city"]!).GetString()));
    }

    [Fact]
    public async Task A_cut_off_answer_reports_the_length_finish_reason()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("It is rain") with { FinishReason = "length" }, ScriptedReply.Answer("It is rain") with { FinishReason = "length" });
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Question)) updates.Add(update);
        var whole = await client.GetResponseAsync(Question);

        Assert.Equal(ChatFinishReason.Length, updates.ToChatResponse().FinishReason);
        Assert.Equal(ChatFinishReason.Length, whole.FinishReason);
    }
}
