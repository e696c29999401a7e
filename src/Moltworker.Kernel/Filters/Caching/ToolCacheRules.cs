using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Abstractions;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>
/// Decides which tools the cache may answer: a tool's time-to-live is <c>Moltworker:Tools:Cache:Ttl:&lt;tool&gt;</c> when
/// set, else what it declares (<see cref="ToolMetadata.CacheTtl"/>); zero or none means not cached. A tool with side
/// effects is refused whatever it or the configuration says, with a warning logged once per tool: running it is the
/// point of calling it.
/// </summary>
public sealed partial class ToolCacheRules(IOptionsMonitor<ToolCacheOptions> options, ILogger<ToolCacheRules> logger)
{
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.Ordinal);

    /// <summary>The rule for <paramref name="tool"/>, or null when its results are not cached.</summary>
    public ToolCacheRule? For(string tool, ToolMetadata metadata)
    {
        var current = options.CurrentValue;
        if (!current.Enabled) return null;
        var ttl = current.Ttl.TryGetValue(tool, out var configured) ? configured : metadata.CacheTtl;
        if (ttl is not { } positive || positive <= TimeSpan.Zero) return null;
        if (metadata.SideEffects)
        {
            if (_refused.TryAdd(tool, true)) LogRefused(tool, positive);
            return null;
        }
        return new ToolCacheRule(positive, metadata.CachePerUser);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tool} has side effects, so it is never cached: its cache time-to-live ({Ttl}) is ignored")]
    private partial void LogRefused(string tool, TimeSpan ttl);
}
