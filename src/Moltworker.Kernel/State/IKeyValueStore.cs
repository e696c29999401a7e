namespace Moltworker.Kernel.State;

/// <summary>Small durable settings: polling offsets, registered-command hashes.</summary>
public interface IKeyValueStore
{
    Task<string?> GetAsync(string key, CancellationToken cancellationToken);
    Task SetAsync(string key, string value, CancellationToken cancellationToken);
}
