using System.Collections.Concurrent;

namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary>What the SSRF guard refused during one call (request interception and the connect-time proxy), in order,
/// each once.</summary>
internal sealed class BlockedRequests
{
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _entries = new();

    public void Add(string entry)
    {
        if (_seen.TryAdd(entry, 0)) _entries.Enqueue(entry);
    }

    public IReadOnlyList<string> Entries => [.. _entries];
}
