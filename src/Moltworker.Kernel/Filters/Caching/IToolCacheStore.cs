using Microsoft.Extensions.Caching.Distributed;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>
/// The durable second level of the tool-result cache: an <see cref="IDistributedCache"/> over a table of the database
/// (<c>tool_cache</c>, on SQLite and PostgreSQL), so cached results outlive a restart and are shared by the hosts of one
/// PostgreSQL database. Expiry is judged on the injected <see cref="TimeProvider"/>: an expired row is never returned,
/// and <see cref="SweepAsync"/> deletes expired rows.
/// </summary>
public interface IToolCacheStore : IDistributedCache
{
    /// <summary>Deletes the rows that have expired; returns how many.</summary>
    Task<int> SweepAsync(CancellationToken cancellationToken);
}
