using System.Collections.Concurrent;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Discord.Tests.Support;

public sealed class MemoryKeyValueStore : IKeyValueStore
{
    public ConcurrentDictionary<string, string> Values { get; } = new();

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(Values.TryGetValue(key, out var v) ? v : null);

    public Task SetAsync(string key, string value, CancellationToken cancellationToken)
    {
        Values[key] = value;
        return Task.CompletedTask;
    }
}
