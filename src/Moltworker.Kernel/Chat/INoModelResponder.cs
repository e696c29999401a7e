namespace Moltworker.Kernel.Chat;

/// <summary>Answers free text when no model is configured. The default says how to configure one;
/// the knowledge base replaces it with cited passages.</summary>
public interface INoModelResponder
{
    Task<ChatReply> AnswerAsync(IncomingMessage message, CancellationToken cancellationToken);
}
