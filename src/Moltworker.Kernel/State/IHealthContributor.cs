namespace Moltworker.Kernel.State;

/// <summary>Adds one named entry to <c>/healthz</c> (database, model, plugins, knowledge store, channels).</summary>
public interface IHealthContributor
{
    string Name { get; }
    Task<HealthEntry> CheckAsync(CancellationToken cancellationToken);
}

/// <summary><paramref name="Data"/> is serialized as JSON under the contributor's name.</summary>
public sealed record HealthEntry(bool Healthy, object? Data = null, string? Hint = null);
