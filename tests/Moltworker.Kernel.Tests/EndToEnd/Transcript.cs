using Moltworker.Testing.OpenAI;

namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>Assertions over the messages a model request carried.</summary>
internal static class Transcript
{
    /// <summary>Every assistant tool call is followed, before the next assistant or user message, by exactly one tool
    /// message with its id, in the order the calls were made; and no tool message is orphaned.</summary>
    public static void AssertEveryCallAnsweredOnceInOrder(ChatRequest request)
    {
        var messages = request.Messages;
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            if (m.Role == "tool")
                Assert.Fail($"tool message #{i} ({m.ToolCallId}) does not follow an assistant message with tool calls");
            if (m.Role != "assistant" || m.ToolCalls.Count == 0) continue;
            var answers = messages.Skip(i + 1).TakeWhile(x => x.Role == "tool").ToList();
            Assert.Equal(m.ToolCalls.Select(c => c.Id), answers.Select(a => a.ToolCallId));
            i += answers.Count;
        }
    }

    /// <summary>The tool message answering <paramref name="callId"/>.</summary>
    public static string ResultOf(ChatRequest request, string callId) =>
        Assert.Single(request.Messages, m => m.Role == "tool" && m.ToolCallId == callId).Content ?? "";
}
