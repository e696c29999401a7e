using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Api;

/// <summary>Issue 13: /api/chat goes through the durable per-chat inbox, so simultaneous messages to one chat are
/// answered one at a time, in order, each turn seeing the ones before it, and each request gets its own answer.</summary>
public sealed class ChatOrderingTests
{
    [Fact]
    public async Task Ten_simultaneous_messages_to_one_chat_each_see_the_turns_before_them()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Responder = request => ScriptedReply.Answer($"answer to {request.LastUserText}");
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={server.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test"]);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => host.Http.ChatOkAsync(new { chatId = "order", text = $"message {i}" })));

        for (var i = 0; i < 10; i++) Assert.Equal($"answer to message {i}", answers[i].GetProperty("text").GetString());
        var histories = server.Requests.OrderBy(r => r.Index).Select(r => r.Messages.Count(m => m.Role is "user" or "assistant") - 1).ToList();
        Assert.Equal([0, 2, 4, 6, 8, 10, 12, 14, 16, 18], histories);
        // Each turn's history is exactly the turns answered before it, in the order they were answered.
        var last = server.Requests.OrderBy(r => r.Index).Last().Messages.Where(m => m.Role is "user" or "assistant").Select(m => m.Content).ToList();
        var order = last.Where((_, n) => n % 2 == 0).ToList();
        for (var n = 0; n + 1 < last.Count; n += 2) Assert.Equal($"answer to {last[n]}", last[n + 1]);
        Assert.Equal(10, order.Distinct().Count());
    }

    [Fact]
    public async Task The_same_message_id_sent_twice_at_once_is_one_turn_with_one_answer()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Enqueue(ScriptedReply.Answer("once") with { WaitFor = release.Task }, ScriptedReply.Answer("a second turn"));
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={server.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test"]);

        var first = host.Http.ChatOkAsync(new { chatId = "twice", text = "hello", messageId = "m-1" });
        await server.WaitForRequestsAsync(1);
        var second = host.Http.ChatOkAsync(new { chatId = "twice", text = "hello", messageId = "m-1" });
        release.SetResult();

        var answers = await Task.WhenAll(first, second);
        Assert.All(answers, a => Assert.Equal("once", a.GetProperty("text").GetString()));
        Assert.Equal(answers[0].GetProperty("taskId").GetString(), answers[1].GetProperty("taskId").GetString());
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task The_same_message_id_in_two_chats_is_two_messages()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Responder = request => ScriptedReply.Answer($"answer to {request.LastUserText}");
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={server.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test"]);

        var a = await host.Http.ChatOkAsync(new { chatId = "a", text = "in a", messageId = "m-1" });
        var b = await host.Http.ChatOkAsync(new { chatId = "b", text = "in b", messageId = "m-1" });
        Assert.Equal("answer to in a", a.GetProperty("text").GetString());
        Assert.Equal("answer to in b", b.GetProperty("text").GetString());
        Assert.Equal(2, server.RequestCount);
    }
}
