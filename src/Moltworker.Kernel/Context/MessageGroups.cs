using Microsoft.Extensions.AI;
using Moltworker.Kernel.Agent;

namespace Moltworker.Kernel.Context;

/// <summary>Earlier messages cut into the pieces that are kept or left out whole: a message with the tool results (and
/// tool-image attachments) that follow it. A piece whose tool calls and tool results do not match one to one (a result
/// without its call, a call without its result) is <see cref="MessageGroup.IsComplete">incomplete</see>: sending it would
/// be rejected by the API.</summary>
public static class MessageGroups
{
    public static List<MessageGroup> Of(IReadOnlyList<ChatMessage> messages, int start, int end)
    {
        var groups = new List<MessageGroup>();
        var groupStart = start;
        for (var i = start + 1; i <= end; i++)
        {
            if (i < end && (messages[i].Role == ChatRole.Tool || ToolMessages.IsAttachment(messages[i]))) continue;
            if (groupStart < i) groups.Add(new MessageGroup(groupStart, i - groupStart, IsComplete(messages, groupStart, i)));
            groupStart = i;
        }
        return groups;
    }

    private static bool IsComplete(IReadOnlyList<ChatMessage> messages, int start, int end)
    {
        var calls = new HashSet<string>(StringComparer.Ordinal);
        var results = new HashSet<string>(StringComparer.Ordinal);
        for (var i = start; i < end; i++)
            foreach (var content in messages[i].Contents)
            {
                if (content is FunctionCallContent call && !calls.Add(call.CallId)) return false;
                if (content is FunctionResultContent result && !results.Add(result.CallId)) return false;
            }
        return calls.SetEquals(results);
    }
}

/// <summary>Messages [<see cref="Start"/>, <see cref="Start"/> + <see cref="Count"/>) that go to the model together or not at all.</summary>
public readonly record struct MessageGroup(int Start, int Count, bool IsComplete);
