using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Chat;

/// <summary>What the kernel answers. Channels format <see cref="Text"/> (Markdown) for their platform.</summary>
public sealed record ChatReply(string Text, bool IsError = false)
{
    public string? TaskId { get; init; }
    public UsageDetails? Usage { get; init; }
    public IReadOnlyList<Citation> Citations { get; init; } = [];
}

/// <summary>A numbered source an answer cites as [n].</summary>
public sealed record Citation(int Number, string Source, string? Title = null);
