using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Moltworker.Kernel.Filters.SemanticKernel;

/// <summary>The turn's M.E.AI history as SK's <see cref="ChatHistory"/> for the context SK filters read: roles, text,
/// tool calls and tool results.</summary>
public static class ChatHistoryMapper
{
    public static ChatHistory ToChatHistory(IEnumerable<ChatMessage> messages)
    {
        var history = new ChatHistory();
        foreach (var message in messages) history.Add(ToContent(message));
        return history;
    }

    public static ChatMessageContent ToContent(ChatMessage message)
    {
        var content = new ChatMessageContent(new AuthorRole(message.Role.Value), message.Text) { AuthorName = message.AuthorName };
        foreach (var item in message.Contents)
        {
            switch (item)
            {
                case Microsoft.Extensions.AI.FunctionCallContent call:
                    content.Items.Add(new Microsoft.SemanticKernel.FunctionCallContent(call.Name, null, call.CallId,
                        call.Arguments is null ? null : new KernelArguments(call.Arguments!)));
                    break;
                case Microsoft.Extensions.AI.FunctionResultContent result:
                    content.Items.Add(new Microsoft.SemanticKernel.FunctionResultContent(null, null, result.CallId, result.Result));
                    break;
            }
        }
        return content;
    }
}
