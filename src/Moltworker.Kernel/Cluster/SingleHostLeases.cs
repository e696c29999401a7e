namespace Moltworker.Kernel.Cluster;

/// <summary>The leases of a database only one process uses (SQLite): every lease is held, nothing to renew.</summary>
public sealed class SingleHostLeases : IHostLeases
{
    public bool Shared => false;

    public Task RenewAsync(string owner, TimeSpan duration, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> TryAcquireChatAsync(string orderKey, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    public Task ReleaseChatAsync(string orderKey, string owner, CancellationToken cancellationToken) => Task.CompletedTask;
}
