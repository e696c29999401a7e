namespace Moltworker.Kernel.Cluster;

/// <summary>Work a host looks for at every renewal on a shared database: tasks and chat inboxes whose lease expired
/// (their host died) are taken over.</summary>
public interface IExpiredWorkSweep
{
    Task SweepAsync(CancellationToken cancellationToken);
}
