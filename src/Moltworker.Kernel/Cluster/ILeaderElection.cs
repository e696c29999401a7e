namespace Moltworker.Kernel.Cluster;

/// <summary>Chooses the one host that runs what must run once per deployment (Telegram long polling, the Discord gateway).</summary>
public interface ILeaderElection
{
    /// <summary>Tries once to become the leader; null when another host is. The term lasts until it is disposed or
    /// <see cref="ILeaderTerm.Lost"/> fires.</summary>
    Task<ILeaderTerm?> TryAcquireAsync(CancellationToken cancellationToken);
}

/// <summary>One host's time as leader.</summary>
public interface ILeaderTerm : IAsyncDisposable
{
    /// <summary>Cancelled when the leadership is lost (the database connection that holds it broke).</summary>
    CancellationToken Lost { get; }

    /// <summary>Checks that the leadership is still held; cancels <see cref="Lost"/> when it is not.</summary>
    Task CheckAsync(CancellationToken cancellationToken);
}
