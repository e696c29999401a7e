using Microsoft.Extensions.AI;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Agent;

/// <summary>The messages answering a batch, and the calls of a history that are still unanswered.</summary>
public static class ToolMessages
{
    /// <summary>Marks a message that carries tool images for this turn only: it is neither checkpointed nor kept in
    /// the conversation.</summary>
    public const string AttachmentProperty = "moltworker.tool_images";

    /// <summary>The tool message with every call's text result. When calls returned images and the model takes images,
    /// a user message follows with them (chat APIs take images only in user messages, not in tool results); when it
    /// does not, each such result says its images were not sent.</summary>
    public static IReadOnlyList<ChatMessage> For(IReadOnlyList<CallContext> calls, bool modelTakesImages)
    {
        var results = calls.Select(c => (AIContent)new FunctionResultContent(c.Call.CallId, TextOf(c.Result!, modelTakesImages))).ToList();
        var messages = new List<ChatMessage> { new(ChatRole.Tool, results) };
        var withImages = calls.Where(c => c.Result!.Images.Count > 0).ToList();
        if (!modelTakesImages || withImages.Count == 0) return messages;

        var contents = new List<AIContent>();
        foreach (var call in withImages)
        {
            contents.Add(new TextContent($"Image(s) returned by {call.Call.Name} (call {call.Call.CallId}):"));
            contents.AddRange(call.Result!.Images);
        }
        messages.Add(new ChatMessage(ChatRole.User, contents) { AdditionalProperties = new() { [AttachmentProperty] = true } });
        return messages;
    }

    /// <summary>True for the user message <see cref="For"/> adds with a batch's images.</summary>
    public static bool IsAttachment(ChatMessage message) =>
        message.AdditionalProperties?.ContainsKey(AttachmentProperty) == true;

    private static string TextOf(ToolResult result, bool modelTakesImages) =>
        result.Images.Count == 0 ? result.Content
        : modelTakesImages ? $"{result.Content}\n[{result.Images.Count} image(s) follow in the next message]"
        : $"{result.Content}\n[{result.Images.Count} image(s) not sent: the model is not marked as taking images (\"images\" in the model catalog)]";

    /// <summary>The calls of the last assistant message when nothing answered them yet (a turn resumed mid-batch).</summary>
    public static List<FunctionCallContent> Unanswered(IReadOnlyList<ChatMessage> history)
    {
        if (history.Count == 0 || history[^1].Role != ChatRole.Assistant) return [];
        return history[^1].Contents.OfType<FunctionCallContent>().ToList();
    }
}
