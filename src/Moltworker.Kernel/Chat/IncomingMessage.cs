using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Chat;

/// <summary>A message from a person, as a channel adapter hands it to the kernel.</summary>
public sealed record IncomingMessage(ChatAddress Address, string Text)
{
    /// <summary>Called with text as the model streams it (null: the channel shows only the final reply).</summary>
    public Func<string, Task>? OnTextDelta { get; init; }

    /// <summary>The channel's stable id of this message (e.g. the inbox item's source and external id), when it has one.
    /// A redelivered message (after a crash or restart) then joins its durable task instead of running it again.</summary>
    public string? MessageId { get; init; }

    /// <summary>The inbox delivers this message for the first time (<see cref="Inbox.InboxItem.FirstDelivery"/>): no task
    /// can exist for <see cref="MessageId"/> yet, so the turn does not look for one (a read saved). False: it looks.</summary>
    public bool FirstDelivery { get; init; }

    /// <summary>The agent to ask (<c>moltworker ask --agent</c>); null: the chat's agent (<c>/agent</c>) or the default.</summary>
    public string? Agent { get; init; }

    /// <summary>Skip the tool-result cache for this turn (the message began with <c>/nocache</c>, already stripped from
    /// <see cref="Text"/>).</summary>
    public bool BypassToolCache { get; init; }
}
