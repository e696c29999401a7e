using System.Collections.Concurrent;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Telegram.Tests.Fakes;

public sealed class MemoryKeyValueStore : IKeyValueStore
{
    public ConcurrentDictionary<string, string> Values { get; } = new();

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult(Values.GetValueOrDefault(key));

    public Task SetAsync(string key, string value, CancellationToken cancellationToken)
    {
        Values[key] = value;
        return Task.CompletedTask;
    }
}
