using Moltworker.Testing.OpenAI;

namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>
/// Whole turns through the kernel (chat service → agent loop → filters → plugin) with the model behind real HTTP.
/// Each case asserts what the model server was sent (the transcript) and what the user sees.
/// </summary>
public sealed class AgentLoopEndToEndTests
{
    [Fact]
    public async Task A_plain_answer_reaches_the_user_with_the_system_prompt_and_tools_offered()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(ScriptedReply.Answer("Hello! How can I help?"));

        var reply = await k.AskAsync("Hi");

        Assert.False(reply.IsError);
        Assert.Equal("Hello! How can I help?", reply.Text);
        var request = Assert.Single(k.Server.Requests);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        Assert.Equal("Hi", request.LastUserText);
        Assert.Equal(["fail", "map", "time_now", "weather"], request.ToolNames.Order());
        Assert.Equal("Bearer sk-e2e", request.Authorization);
        Assert.Empty(k.Tools.Calls);
    }

    [Fact]
    public async Task Several_tool_calls_in_one_response_each_get_exactly_one_result_in_order()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(
            ScriptedReply.Calls(
                ScriptedToolCall.Json("weather", new { city = "Oslo" }, "call_oslo"),
                ScriptedToolCall.Json("weather", new { city = "Bergen" }, "call_bergen"),
                new ScriptedToolCall("time_now", "{}", "call_time")),
            ScriptedReply.Answer("Oslo has rain, Bergen sun; it is noon."));

        var reply = await k.AskAsync("Weather in Oslo and Bergen, and the time?");

        Assert.Equal("Oslo has rain, Bergen sun; it is noon.", reply.Text);
        Assert.Equal(["weather(Oslo)", "weather(Bergen)", "time_now()"], k.Tools.Calls);
        Assert.Equal(2, k.Server.RequestCount);
        var second = k.Server.Requests[1];
        Assert.Equal(["system", "user", "assistant", "tool", "tool", "tool"], second.Messages.Select(m => m.Role));
        Assert.Equal(["call_oslo", "call_bergen", "call_time"], second.Messages[2].ToolCalls.Select(c => c.Id));
        Transcript.AssertEveryCallAnsweredOnceInOrder(second);
        Assert.Equal("Oslo: rain, 7°C", Transcript.ResultOf(second, "call_oslo"));
        Assert.Equal("Bergen: sun, 11°C", Transcript.ResultOf(second, "call_bergen"));
        Assert.Equal("12:00", Transcript.ResultOf(second, "call_time"));
    }

    [Fact]
    public async Task A_call_to_an_unknown_tool_is_answered_with_the_valid_names_and_the_others_still_run()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(
            ScriptedReply.Calls(
                ScriptedToolCall.Json("get_stock_price", new { symbol = "NHY" }, "call_stock"),
                ScriptedToolCall.Json("weather", new { city = "Oslo" }, "call_weather")),
            ScriptedReply.Answer("I cannot look up stocks, but Oslo has rain."));

        var reply = await k.AskAsync("NHY price and Oslo weather?");

        Assert.Equal("I cannot look up stocks, but Oslo has rain.", reply.Text);
        Assert.Equal(["weather(Oslo)"], k.Tools.Calls);
        var second = k.Server.Requests[1];
        Transcript.AssertEveryCallAnsweredOnceInOrder(second);
        var unknown = Transcript.ResultOf(second, "call_stock");
        Assert.Contains("unknown tool 'get_stock_price'", unknown);
        Assert.Contains("fail, map, time_now, weather", unknown);
        Assert.Equal("Oslo: rain, 7°C", Transcript.ResultOf(second, "call_weather"));
    }

    [Fact]
    public async Task Arguments_that_are_not_json_get_an_error_result_and_the_loop_continues()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(
            ScriptedReply.Calls(new ScriptedToolCall("weather", "{city: Oslo", "call_broken")),
            ScriptedReply.Calls(ScriptedToolCall.Json("weather", new { city = "Oslo" }, "call_fixed")),
            ScriptedReply.Answer("Oslo: rain."));

        var reply = await k.AskAsync("Oslo weather?");

        Assert.Equal("Oslo: rain.", reply.Text);
        Assert.Equal(["weather(Oslo)"], k.Tools.Calls);
        Assert.Equal(3, k.Server.RequestCount);
        var second = k.Server.Requests[1];
        Transcript.AssertEveryCallAnsweredOnceInOrder(second);
        var error = Transcript.ResultOf(second, "call_broken");
        Assert.StartsWith("Error:", error);
        Assert.Contains("not valid JSON", error);
        var third = k.Server.Requests[2];
        Transcript.AssertEveryCallAnsweredOnceInOrder(third);
        Assert.Equal(["call_broken", "call_fixed"], third.Messages.Where(m => m.Role == "tool").Select(m => m.ToolCallId));
        Assert.Equal("Oslo: rain, 7°C", Transcript.ResultOf(third, "call_fixed"));
    }

    [Fact]
    public async Task A_tool_that_throws_is_an_error_result_the_model_reads()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(
            ScriptedReply.Calls(new ScriptedToolCall("fail", "{}", "call_fail"), new ScriptedToolCall("time_now", "{}", "call_time")),
            ScriptedReply.Answer("Booking is down; it is noon."));

        var reply = await k.AskAsync("Book and tell me the time");

        Assert.Equal("Booking is down; it is noon.", reply.Text);
        Assert.Equal(["fail()", "time_now()"], k.Tools.Calls);
        var second = k.Server.Requests[1];
        Transcript.AssertEveryCallAnsweredOnceInOrder(second);
        Assert.Equal("Error: the booking system is down", Transcript.ResultOf(second, "call_fail"));
    }

    [Fact]
    public async Task The_next_turn_carries_the_earlier_tool_calls_and_results_from_storage()
    {
        await using var k = await KernelHarness.StartAsync();
        k.Server.Enqueue(
            ScriptedReply.Calls(ScriptedToolCall.Json("weather", new { city = "Oslo" }, "call_1")),
            ScriptedReply.Answer("Rain in Oslo."),
            ScriptedReply.Answer("Take an umbrella."));

        await k.AskAsync("Oslo weather?");
        var reply = await k.AskAsync("What should I bring?");

        Assert.Equal("Take an umbrella.", reply.Text);
        var third = k.Server.Requests[2];
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "user"], third.Messages.Select(m => m.Role));
        Transcript.AssertEveryCallAnsweredOnceInOrder(third);
        Assert.Equal("call_1", third.Messages[2].ToolCalls.Single().Id);
        Assert.Equal("Oslo: rain, 7°C", Transcript.ResultOf(third, "call_1"));
        Assert.Equal("Rain in Oslo.", third.Messages[4].Content);
    }
}
