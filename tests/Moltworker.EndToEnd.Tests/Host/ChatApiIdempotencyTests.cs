using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Host;

/// <summary>A client that sends the same messageId again (a retry after a timeout) gets the first answer, not a second turn.</summary>
public sealed class ChatApiIdempotencyTests
{
    [Fact]
    public async Task The_same_message_id_is_answered_once_and_a_new_one_runs_a_new_turn()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var answers = 0;
        server.Responder = _ => ScriptedReply.Answer($"answer {Interlocked.Increment(ref answers)}");
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={server.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test"]);

        var first = await PostAsync(host, "m-1");
        var again = await PostAsync(host, "m-1");
        Assert.Equal("answer 1", first.GetProperty("text").GetString());
        Assert.Equal("answer 1", again.GetProperty("text").GetString());
        Assert.Equal(first.GetProperty("taskId").GetString(), again.GetProperty("taskId").GetString());
        Assert.Equal(1, server.RequestCount);

        var other = await PostAsync(host, "m-2");
        Assert.Equal("answer 2", other.GetProperty("text").GetString());
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task An_empty_or_overlong_message_id_is_refused()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        foreach (var id in new[] { "", new string('x', 201) })
        {
            using var response = await host.Http.PostAsJsonAsync("/api/chat", new { chatId = "c", text = "/help", messageId = id });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("messageId", await response.Content.ReadAsStringAsync());
        }
    }

    private static async Task<JsonElement> PostAsync(RunningHost host, string messageId)
    {
        using var response = await host.Http.PostAsJsonAsync("/api/chat", new { chatId = "c", text = "hello", messageId });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
