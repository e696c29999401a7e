using Microsoft.Extensions.AI;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tests.Fakes;
using Moltworker.Testing.Kernel;
using static Moltworker.Kernel.Tests.Fakes.ScriptedChatClient;

namespace Moltworker.Kernel.Tests.Agent;

public sealed class AgentLoopTests
{
    private static readonly ChatAddress Chat = new("test", "c1", "u1");

    private static TestKernel Kernel(ScriptedChatClient model, Dictionary<string, string?>? settings = null) =>
        TestKernel.Create(model, [typeof(EchoPlugin), typeof(FaultyPlugin)], settings);

    private static IReadOnlyList<FunctionResultContent> ToolResults(IEnumerable<ChatMessage> request) =>
        request.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents.OfType<FunctionResultContent>()).ToList();

    [Fact]
    public async Task Every_call_of_a_batch_gets_exactly_one_result_in_order_whatever_happens()
    {
        var badJson = FunctionCallContent.CreateFromParsedArguments("{not json", "c3", "echo",
            s => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(s));
        var model = new ScriptedChatClient()
            .ThenCalls(Call("c1", "echo", new { text = "hi" }), Call("c2", "no_such_tool"), badJson,
                       Call("c4", "explode"), Call("c5", "echo"), Call("c6", "polite_failure"))
            .ThenText("final answer");
        await using var kernel = Kernel(model);

        var reply = await kernel.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go"), default);

        Assert.Equal("final answer", reply.Text);
        Assert.False(reply.IsError);
        var results = ToolResults(model.Requests[1]);
        Assert.Equal(["c1", "c2", "c3", "c4", "c5", "c6"], results.Select(r => r.CallId));
        var text = results.Select(r => (string)r.Result!).ToList();
        Assert.Equal("echo: hi (c1)", text[0]);
        Assert.Contains("unknown tool 'no_such_tool'", text[1]);
        Assert.Contains("Valid tools: add, big, echo, explode, polite_failure", text[1]);
        Assert.Contains("not valid JSON", text[2]);
        Assert.Contains("InvalidOperationException: kaboom", text[3]);
        Assert.Contains("missing required argument(s): text", text[4]);
        Assert.Equal("Error: the upstream said no", text[5]);
    }

    [Fact]
    public async Task Over_long_results_are_truncated_with_a_note()
    {
        var model = new ScriptedChatClient().ThenCalls(Call("c1", "big")).ThenText("ok");
        await using var kernel = Kernel(model, new() { ["Moltworker:Agent:MaxResultChars"] = "1000" });

        await kernel.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go"), default);

        var result = (string)ToolResults(model.Requests[1]).Single().Result!;
        Assert.StartsWith(new string('x', 1000), result);
        Assert.Contains("[truncated: the result had 100,000 characters", result);
        Assert.True(result.Length < 1200);
    }

    [Fact]
    public async Task The_loop_stops_at_max_iterations_with_a_clear_answer()
    {
        var model = new ScriptedChatClient { Default = _ => Calls(Call(Guid.NewGuid().ToString("N"), "echo", new { text = "again" })) };
        await using var kernel = Kernel(model, new() { ["Moltworker:Agent:MaxIterations"] = "3" });

        var reply = await kernel.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "loop forever"), default);

        Assert.Equal(3, model.Requests.Count);
        Assert.Contains("stopped after 3 model calls", reply.Text);
    }

    [Fact]
    public async Task Consecutive_failures_end_the_turn()
    {
        var model = new ScriptedChatClient { Default = _ => Calls(Call(Guid.NewGuid().ToString("N"), "explode")) };
        await using var kernel = Kernel(model, new() { ["Moltworker:Agent:MaxConsecutiveErrors"] = "2" });

        var reply = await kernel.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go"), default);

        Assert.Equal(2, model.Requests.Count);
        Assert.Contains("failed 2 times in a row", reply.Text);
        Assert.Contains("kaboom", reply.Text);
    }

    [Fact]
    public async Task Calls_over_the_per_turn_limit_are_answered_as_skipped_and_tools_are_withdrawn()
    {
        var model = new ScriptedChatClient()
            .ThenCalls(Call("a", "echo", new { text = "1" }), Call("b", "echo", new { text = "2" }), Call("c", "echo", new { text = "3" }))
            .ThenText("ok");
        await using var kernel = Kernel(model, new() { ["Moltworker:Agent:MaxToolCallsPerTurn"] = "2" });

        await kernel.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go"), default);

        var results = ToolResults(model.Requests[1]);
        Assert.Equal(3, results.Count);
        Assert.StartsWith("Skipped: the tool call limit", (string)results[2].Result!);
        Assert.Null(model.Options[1]!.Tools);
    }

    [Fact]
    public async Task The_conversation_is_kept_between_turns_and_reset_forgets_it()
    {
        var model = new ScriptedChatClient().ThenCalls(Call("c1", "echo", new { text = "x" })).ThenText("first").ThenText("second").ThenText("third");
        await using var kernel = Kernel(model);
        var chat = kernel.Get<IChatService>();

        await chat.HandleAsync(new IncomingMessage(Chat, "one"), default);
        await chat.HandleAsync(new IncomingMessage(Chat, "two"), default);
        var second = model.Requests[2];
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "user"], second.Select(m => m.Role.Value));

        await chat.HandleAsync(new IncomingMessage(Chat, "/reset"), default);
        await chat.HandleAsync(new IncomingMessage(Chat, "three"), default);
        Assert.Equal(["system", "user"], model.Requests[3].Select(m => m.Role.Value));
    }

    [Fact]
    public async Task Tools_carry_their_metadata_and_ToolContext_is_not_in_the_schema()
    {
        var model = new ScriptedChatClient().ThenText("hi");
        await using var kernel = Kernel(model);
        await kernel.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "hello"), default);

        var tools = model.Options[0]!.Tools!.OfType<AIFunction>().ToDictionary(t => t.Name);
        var echo = tools["echo"];
        Assert.True(Abstractions.ToolMetadata.Of(echo).ParallelSafe);
        Assert.False(Abstractions.ToolMetadata.Of(tools["explode"]).ParallelSafe);
        Assert.DoesNotContain("context", echo.JsonSchema.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"text\"", echo.JsonSchema.GetRawText());
    }
}
