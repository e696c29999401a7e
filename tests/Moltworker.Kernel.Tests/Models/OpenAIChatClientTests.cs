using Microsoft.Extensions.AI;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Kernel.Tests.Models;

public sealed class OpenAIChatClientTests
{
    [Fact]
    public async Task Plain_answer_comes_back_with_usage_and_the_request_is_recorded()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("Hello there.") with { PromptTokens = 11, CompletionTokens = 3 });
        using var client = ModelClientFactory.Raw(ModelClientFactory.Options(server));

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Hi")]);

        Assert.Equal("Hello there.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(11, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal(14, response.Usage?.TotalTokenCount);
        var request = Assert.Single(server.Requests);
        Assert.Equal("test-model", request.Model);
        Assert.False(request.Stream);
        Assert.Equal("Bearer sk-test-key", request.Authorization);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        Assert.Equal("Hi", request.LastUserText);
    }
}
