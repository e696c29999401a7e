namespace Moltworker.Kernel.State;

/// <summary>Rules the conversation stores share for reading a history.</summary>
public static class StoredHistory
{
    /// <summary>The messages read, oldest first: when the limit <paramref name="maxMessages"/> may have cut them, from the
    /// first user message on (never an orphaned tool result first); otherwise all of them (they follow a summary's range,
    /// which ends between pieces, or begin the conversation).</summary>
    public static IReadOnlyList<StoredMessage> Trim(List<StoredMessage> messages, int maxMessages)
    {
        if (messages.Count < maxMessages) return messages;
        var first = messages.FindIndex(m => m.Message.Role == Microsoft.Extensions.AI.ChatRole.User);
        return first < 0 ? [] : messages.GetRange(first, messages.Count - first);
    }
}
