namespace Moltworker.Channels.Discord.Approvals;

/// <summary>What a button under an approval request says.</summary>
public enum ApprovalChoice { Approve, Deny, Always }
