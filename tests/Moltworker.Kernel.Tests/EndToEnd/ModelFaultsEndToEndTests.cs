using Moltworker.Testing.OpenAI;

namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>Provider faults and streaming as the user of a whole turn meets them.</summary>
public sealed class ModelFaultsEndToEndTests
{
    [Fact]
    public async Task Streamed_turn_with_tool_call_deltas_shows_the_text_as_it_arrives()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(
            ScriptedReply.Calls(ScriptedToolCall.Json("weather", new { city = "Bergen" }, "call_s1"), ScriptedToolCall.Json("weather", new { city = "Oslo" }, "call_s2")) with { ChunkSize = 3 },
            ScriptedReply.Answer("Bergen is sunny and Oslo is rainy.") with { ChunkSize = 6 });
        var deltas = new List<string>();

        var reply = await k.AskAsync("Bergen and Oslo?", d => { deltas.Add(d); return Task.CompletedTask; });

        Assert.Equal("Bergen is sunny and Oslo is rainy.", reply.Text);
        Assert.True(deltas.Count > 3, $"expected several deltas, got {deltas.Count}");
        Assert.Equal(reply.Text, string.Concat(deltas));
        Assert.Equal(["weather(Bergen)", "weather(Oslo)"], k.Tools.Calls);
        Assert.All(k.Server.Requests, r => Assert.True(r.Stream));
        var second = k.Server.Requests[1];
        Transcript.AssertEveryCallAnsweredOnceInOrder(second);
        // M.E.AI's adapter writes the history's arguments indented: the same JSON.
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse("""{"city":"Bergen"}"""),
            System.Text.Json.Nodes.JsonNode.Parse(second.Messages[2].ToolCalls[0].Arguments)), second.Messages[2].ToolCalls[0].Arguments);
        Assert.Equal("Oslo: rain, 7°C", Transcript.ResultOf(second, "call_s2"));
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_and_the_user_gets_the_answer()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(ScriptedReply.RateLimited(5), ScriptedReply.Answer("Sorry for the wait: hello."));

        var reply = await k.AskAsync("Hi");

        Assert.False(reply.IsError);
        Assert.Equal("Sorry for the wait: hello.", reply.Text);
        Assert.Equal(2, k.Server.RequestCount);
        Assert.Contains(TimeSpan.FromSeconds(5), k.Time.RequestedDelays);
    }

    [Fact]
    public async Task A_500_then_success_in_the_middle_of_a_tool_loop_keeps_the_transcript_whole()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(
            ScriptedReply.Calls(new ScriptedToolCall("time_now", "{}", "call_t")),
            ScriptedReply.Error(500),
            ScriptedReply.Answer("It is noon."));

        var reply = await k.AskAsync("Time?");

        Assert.Equal("It is noon.", reply.Text);
        Assert.Equal(["time_now()"], k.Tools.Calls);
        Assert.Equal(3, k.Server.RequestCount);
        Assert.Equal(k.Server.Requests[1].Messages.Select(m => (m.Role, m.ToolCallId, m.Content)), k.Server.Requests[2].Messages.Select(m => (m.Role, m.ToolCallId, m.Content)));
        Transcript.AssertEveryCallAnsweredOnceInOrder(k.Server.Requests[2]);
    }

    [Fact]
    public async Task A_401_tells_the_user_to_check_the_api_key_setting()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(ScriptedReply.Error(401));

        var reply = await k.AskAsync("Hi");

        Assert.True(reply.IsError);
        Assert.Contains("Moltworker:Llm:ApiKey", reply.Text);
        Assert.DoesNotContain("sk-e2e", reply.Text);
        Assert.Equal(1, k.Server.RequestCount);
    }

    [Fact]
    public async Task Repeated_5xx_fall_back_to_the_catalog_model()
    {
        await using var k = await KernelHarness.StartAsync(model: "gpt-4o");
        k.Server.Enqueue(ScriptedReply.Error(503), ScriptedReply.Error(502), ScriptedReply.Error(500), ScriptedReply.Answer("Answered by the mini model."));

        var reply = await k.AskAsync("Hi");

        Assert.Equal("Answered by the mini model.", reply.Text);
        Assert.Equal(["gpt-4o", "gpt-4o", "gpt-4o", "gpt-4o-mini"], k.Server.Requests.Select(r => r.Model));
    }

    [Fact]
    public async Task When_no_model_answers_the_user_gets_a_clear_error()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Responder = _ => ScriptedReply.Error(503);

        var reply = await k.AskAsync("Hi");

        Assert.True(reply.IsError);
        Assert.Contains("unavailable", reply.Text);
        Assert.Equal(3, k.Server.RequestCount);
    }

    [Fact]
    public async Task A_streamed_answer_that_breaks_off_ends_the_turn_with_an_error_the_user_sees()
    {
        await using var k = await KernelHarness.StartAsync();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        k.Server.Enqueue(ScriptedReply.Answer("Here is the first part and then") with { ChunkSize = 4, AbortStreamAfterChunks = 3, AbortWhen = seen.Task });
        var deltas = new List<string>();

        var reply = await k.AskAsync("Tell me", d => { deltas.Add(d); seen.TrySetResult(); return Task.CompletedTask; });

        Assert.True(reply.IsError);
        Assert.Contains("broke off", reply.Text);
        Assert.StartsWith("Here", string.Concat(deltas));
        Assert.Equal(1, k.Server.RequestCount);
    }

    [Fact]
    public async Task A_request_the_endpoint_rejects_gives_the_user_its_reason()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(ScriptedReply.Error(400, ScriptedReply.ErrorJson("Invalid schema for function 'weather'.")));

        var reply = await k.AskAsync("Hi");

        Assert.True(reply.IsError);
        Assert.Contains("Invalid schema for function 'weather'.", reply.Text);
    }
}
