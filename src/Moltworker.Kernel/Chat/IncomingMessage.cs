using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Chat;

/// <summary>A message from a person, as a channel adapter hands it to the kernel.</summary>
public sealed record IncomingMessage(ChatAddress Address, string Text)
{
    /// <summary>Called with text as the model streams it (null: the channel shows only the final reply).</summary>
    public Func<string, Task>? OnTextDelta { get; init; }
}
