using System.Text.Json.Nodes;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>The immediate answer to an interaction: a callback body, or a rejection of a malformed payload.</summary>
public sealed record InteractionOutcome(JsonObject? Response, string? Error = null)
{
    /// <summary>Set when a command was queued: complete <see cref="InteractionAcks"/> for it once the response was sent.</summary>
    public string? QueuedInteractionId { get; init; }

    public bool IsMalformed => Response is null;

    public static InteractionOutcome Malformed(string error) => new(null, error);
}
