using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Commands;

/// <summary>Runs a command with structured arguments (Discord options) or with the rest of a chat line (Telegram).</summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="name"/> (no slash). Unknown names answer with the list of commands.</summary>
    Task<ChatReply> RunAsync(string name, IReadOnlyDictionary<string, object?> arguments, ChatAddress address, CancellationToken cancellationToken);

    /// <summary>Parses "key=value …", a JSON object or positional text into the tool's arguments, then runs it.</summary>
    Task<ChatReply> RunTextAsync(string name, string rest, ChatAddress address, CancellationToken cancellationToken);
}
