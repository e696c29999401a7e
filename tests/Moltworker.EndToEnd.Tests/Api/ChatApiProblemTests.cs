using System.Net.Http.Json;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Api;

/// <summary>Issue 13: every /api error is an RFC 9457 problem body, and a message over the size cap is refused before it
/// is stored or sent to the model. Through real HTTP against the real host.</summary>
public sealed class ChatApiProblemTests
{
    [Theory]
    [InlineData("{\"text\": \"hi\"", "JSON")]
    [InlineData("not json at all", "JSON")]
    [InlineData("", "JSON")]
    [InlineData("{\"text\": 5}", "$.text")]
    [InlineData("null", "JSON object")]
    [InlineData("{\"chatId\": \"c\"}", "text is required")]
    public async Task A_bad_body_gets_400_with_a_problem_that_says_what_is_wrong(string body, string detail)
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        using var response = await host.Http.PostJsonTextAsync("/api/chat", body);
        var problem = await ApiResponses.AssertProblemAsync(response, 400);
        Assert.Contains(detail, problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415_and_an_unknown_api_route_404_both_as_problems()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        using (var response = await host.Http.PostAsync("/api/chat", new StringContent("text=hi", System.Text.Encoding.UTF8, "text/plain")))
            await ApiResponses.AssertProblemAsync(response, 415);
        using (var response = await host.Http.GetAsync("/api/no-such-route"))
            Assert.Contains("no such route", (await ApiResponses.AssertProblemAsync(response, 404)).Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_65_KB_message_gets_413_and_is_neither_stored_nor_sent_to_the_model()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Responder = _ => ScriptedReply.Answer("fine");
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={server.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test"]);

        using (var response = await host.Http.PostAsJsonAsync("/api/chat", new { chatId = "big", text = new string('x', 65 * 1024), messageId = "big-1" }))
        {
            var problem = await ApiResponses.AssertProblemAsync(response, 413);
            Assert.Contains("65536", problem.Detail(), StringComparison.Ordinal);
        }
        Assert.Equal(0, server.RequestCount);

        // Not stored either: the next turn of that chat sends the model no history, and the same messageId is not taken.
        var answer = await host.Http.ChatOkAsync(new { chatId = "big", text = "small", messageId = "big-1" });
        Assert.Equal("fine", answer.GetProperty("text").GetString());
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(["small"], server.Requests[0].Messages.Where(m => m.Role is "user" or "assistant").Select(m => m.Content));
    }

    [Fact]
    public async Task A_body_far_over_the_cap_is_cut_off_with_413_without_being_read_whole()
    {
        await using var host = await RunningHost.StartAsync([.. RunningHost.NoModel, "--Moltworker:Api:MaxChatBytes=1024"]);
        using var content = new StringContent($"{{\"text\":\"{new string('x', 1 << 20)}\"}}", System.Text.Encoding.UTF8, "application/json");
        using var response = await host.Http.PostAsync("/api/chat", content);
        var problem = await ApiResponses.AssertProblemAsync(response, 413);
        Assert.Contains("1024", problem.Detail(), StringComparison.Ordinal);
    }
}
