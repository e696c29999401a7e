using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Commands;

/// <summary>A command the kernel itself answers (/start, /help, /reset, /status, /plugins).</summary>
public interface IBuiltInCommand
{
    string Name { get; }
    string Description { get; }
    Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken);
}
