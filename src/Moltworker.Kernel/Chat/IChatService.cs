namespace Moltworker.Kernel.Chat;

/// <summary>
/// The one door channels use. Text starting with "/" is a command (run through the same filter pipeline,
/// with or without a model); other text is a turn with the agent, or, with no model configured, an answer
/// that says so (or, once the knowledge base is in, passages from it).
/// </summary>
public interface IChatService
{
    Task<ChatReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken);

    /// <summary>Forgets the conversation of this chat (the /reset command).</summary>
    Task ResetAsync(Filters.ChatAddress address, CancellationToken cancellationToken);
}
