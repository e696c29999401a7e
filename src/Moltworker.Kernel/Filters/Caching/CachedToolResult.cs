using System.ComponentModel;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>A successful tool result as the cache keeps it: its text and when it stops being served (judged on the
/// injected clock when it is read, whichever level it came from). Only results without images are kept. Immutable, so
/// the memory level hands out the stored instance instead of a deserialized copy.</summary>
[ImmutableObject(true)]
public sealed record CachedToolResult(string Content, DateTimeOffset ExpiresAt)
{
    public bool IsFresh(DateTimeOffset now) => now < ExpiresAt;

    /// <summary>The result the call gets on a hit, flagged as served from the cache.</summary>
    public ToolResult ToResult() => new(Content) { Cached = true };
}
