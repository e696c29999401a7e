using System.Collections.Concurrent;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Tests.Commands.Registration;

internal sealed class MemoryStore : IKeyValueStore
{
    public ConcurrentDictionary<string, string> Values { get; } = new();

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult(Values.GetValueOrDefault(key));

    public Task SetAsync(string key, string value, CancellationToken cancellationToken)
    {
        Values[key] = value;
        return Task.CompletedTask;
    }
}
