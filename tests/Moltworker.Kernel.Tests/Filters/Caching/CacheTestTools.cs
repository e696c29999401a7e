using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Tests.Filters.Caching;

/// <summary>Counts the calls that reached each tool's "upstream" (the tool body).</summary>
public sealed class UpstreamCounter
{
    private readonly ConcurrentDictionary<string, int> _calls = new();

    public int Next(string tool) => _calls.AddOrUpdate(tool, 1, (_, n) => n + 1);
    public int Of(string tool) => _calls.GetValueOrDefault(tool);
}

/// <summary>Tools that opt in to the cache in every way a tool can, each answering with how often it was called.</summary>
[Plugin("cachetest")]
public sealed class CacheTestTools(UpstreamCounter upstream)
{
    [KernelFunction("lookup"), ToolSafety(SideEffects = false, ParallelSafe = true, CacheSeconds = 600), Description("Looks a city up")]
    public string Lookup([Description("city")] string city, [Description("days")] double days = 1) =>
        $"{city} for {days} days, lookup #{upstream.Next("lookup")}";

    [KernelFunction("my_inbox"), ToolSafety(SideEffects = false, ParallelSafe = true, CacheSeconds = 600, CachePerUser = true), Description("The asker's inbox")]
    public string MyInbox(ToolContext context) => $"inbox of {context.UserId}, read #{upstream.Next("my_inbox")}";

    [KernelFunction("post"), ToolSafety(SideEffects = true, CacheSeconds = 600), Description("Posts (a side effect; its TTL must be ignored)")]
    public string Post([Description("text")] string text) => $"posted {text} #{upstream.Next("post")}";

    [KernelFunction("broken_lookup"), ToolSafety(SideEffects = false, ParallelSafe = true, CacheSeconds = 600), Description("Fails")]
    public string BrokenLookup()
    {
        upstream.Next("broken_lookup");
        throw new InvalidOperationException("upstream is down");
    }
}
