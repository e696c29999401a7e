namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Tools:Cache</c>: the tool-result cache. A tool opts in by declaring a time-to-live
/// (<c>CacheSeconds</c> on <c>[Tool]</c> or <c>[ToolSafety]</c>); a tool with side effects is never cached.</summary>
public sealed class ToolCacheOptions
{
    /// <summary>Serve repeated read-only calls (same tool, same arguments) from the cache within their time-to-live.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time-to-live per tool name, overriding what the tool declares (e.g. <c>get_weather: 00:02:00</c>); zero
    /// turns caching off for that tool. A tool with side effects is never cached, whatever is set here.</summary>
    public Dictionary<string, TimeSpan> Ttl { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often expired rows are deleted from the durable level (the <c>tool_cache</c> table).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);
}
