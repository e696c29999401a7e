namespace Moltworker.Kernel.Chat;

/// <summary>
/// The one door channels use, for text and for structured commands. Text that <see cref="Commands.CommandLine"/> calls a command is one (run through the same filter pipeline,
/// with or without a model); other text is a turn with the agent, or, with no model configured, an answer
/// that says so (or, once the knowledge base is in, passages from it).
/// </summary>
public interface IChatService
{
    Task<ChatReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken);

    /// <summary>Runs a command given with structured arguments (Discord's slash command options), through the same runner
    /// and filters as a typed "/name …" line.</summary>
    Task<ChatReply> RunCommandAsync(string name, IReadOnlyDictionary<string, object?> arguments, Filters.ChatAddress address, CancellationToken cancellationToken);

    /// <summary>Forgets the conversation of this chat (the /reset command).</summary>
    Task ResetAsync(Filters.ChatAddress address, CancellationToken cancellationToken);
}
