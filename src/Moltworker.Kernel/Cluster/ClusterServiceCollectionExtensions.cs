using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>Leases, their heartbeat and the leader gate. The single-host leases and election are the defaults; a
    /// shared database's storage (PostgreSQL) registers its own.</summary>
    public static IServiceCollection AddMoltworkerCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>().Bind(configuration.GetSection(ClusterOptions.Section))
            .Validate(o => o.LeaseDuration > TimeSpan.Zero && o.RenewEvery > TimeSpan.Zero && o.RenewEvery < o.LeaseDuration && o.SweepEvery > TimeSpan.Zero,
                "Moltworker:Cluster:RenewEvery and SweepEvery must be positive, and RenewEvery shorter than Moltworker:Cluster:LeaseDuration.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TaskOwner>();
        services.TryAddSingleton<IHostLeases, SingleHostLeases>();
        services.TryAddSingleton<ILeaderElection, SingleHostElection>();
        services.TryAddSingleton<LeaderGate>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaderGate>());
        services.AddHostedService<LeaseHeartbeat>();
        return services;
    }
}
