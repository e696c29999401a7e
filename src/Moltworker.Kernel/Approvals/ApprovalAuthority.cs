using Microsoft.Extensions.Options;

namespace Moltworker.Kernel.Approvals;

/// <summary>Who may answer a request: the person whose message started the task (same channel, same user id), a
/// configured admin of the request's channel (<see cref="ApprovalsOptions.Admins"/>), or an operator.</summary>
public sealed class ApprovalAuthority(IOptionsMonitor<ApprovalsOptions> options)
{
    public bool MayDecide(ApprovalDecider decider, ApprovalRequest request)
    {
        if (decider.IsOperator) return true;
        if (decider.UserId is null || !string.Equals(decider.Channel, request.Address.Channel, StringComparison.OrdinalIgnoreCase)) return false;
        if (string.Equals(decider.UserId, request.Address.UserId, StringComparison.Ordinal)) return true;
        return options.CurrentValue.Admins.Contains($"{decider.Channel}:{decider.UserId}", StringComparer.OrdinalIgnoreCase);
    }
}
