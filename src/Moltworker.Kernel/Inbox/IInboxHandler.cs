namespace Moltworker.Kernel.Inbox;

/// <summary>Handles inbox items of one <see cref="Source"/> (e.g. "telegram"). Registered in DI by a channel.</summary>
public interface IInboxHandler
{
    string Source { get; }
    Task HandleAsync(InboxItem item, CancellationToken cancellationToken);
}
