namespace Moltworker.Kernel.Filters.Caching;

/// <summary>How one tool's results are cached: for how long, and whether per user.</summary>
public readonly record struct ToolCacheRule(TimeSpan Ttl, bool PerUser);
