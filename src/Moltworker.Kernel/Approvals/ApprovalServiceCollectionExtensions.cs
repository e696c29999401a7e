using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters.Approvals;
using Moltworker.Kernel.Hosting;

namespace Moltworker.Kernel.Approvals;

public static class ApprovalServiceCollectionExtensions
{
    /// <summary>Approval of tool calls: <c>Moltworker:Approvals</c>, the policy, the gate filter and the batch filter that
    /// pauses a waiting task, the resolver, the resumer and the expiry sweep. Needs an <see cref="IApprovalStore"/> (e.g.
    /// AddSqliteStorage).</summary>
    public static IServiceCollection AddMoltworkerApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApprovalsOptions>().Bind(configuration.GetSection(ApprovalsOptions.Section))
            .Validate(o => o.Timeout > TimeSpan.Zero, "Moltworker:Approvals:Timeout must be positive.")
            .Validate(o => o.RememberFor >= TimeSpan.Zero, "Moltworker:Approvals:RememberFor must not be negative.")
            .Validate(o => o.SweepInterval >= TimeSpan.Zero, "Moltworker:Approvals:SweepInterval must not be negative (zero turns the sweep off).")
            .ValidateOnStart();
        services.TryAddSingleton<ApprovalPolicy>();
        services.TryAddSingleton<ApprovalAuthority>();
        services.TryAddSingleton<ApprovalResolver>();
        services.TryAddSingleton<ApprovalGate>();
        services.TryAddSingleton<ApprovalResumer>();
        services.TryAddSingleton<ApprovalSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalSweeper>());
        services.AddSingleton<IBuiltInCommand, ApprovalsCommand>();
        services.AddFunctionFilter<ApprovalGateFilter>();
        services.AddBatchFilter<ApprovalWaitBatchFilter>();
        return services;
    }
}
