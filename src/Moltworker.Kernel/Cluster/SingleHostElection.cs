namespace Moltworker.Kernel.Cluster;

/// <summary>One process on its database (SQLite): it is always the leader.</summary>
public sealed class SingleHostElection : ILeaderElection
{
    public Task<ILeaderTerm?> TryAcquireAsync(CancellationToken cancellationToken) => Task.FromResult<ILeaderTerm?>(new Term());

    private sealed class Term : ILeaderTerm
    {
        public CancellationToken Lost => CancellationToken.None;
        public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
