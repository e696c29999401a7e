namespace Moltworker.Kernel.Approvals;

/// <summary><c>Moltworker:Approvals</c>: which tool calls wait for a person, for how long, and who may decide.</summary>
public sealed class ApprovalsOptions
{
    public const string Section = "Moltworker:Approvals";

    /// <summary>Rules checked in order before the defaults; the first that matches a call decides whether it needs approval.
    /// With no rule matching, a call needs approval when its tool declares <c>NeedsApproval</c>, except <c>github_api</c>
    /// calls whose method is GET.</summary>
    public List<ApprovalRule> Policy { get; set; } = [];

    /// <summary>How long a request waits for an answer; then the call is denied as expired and the model is told.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long "Always in this chat" lets the same tool run in the same chat without asking (<c>/approvals reset</c> revokes).</summary>
    public TimeSpan RememberFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Who may answer any request of their channel besides the person whose message started the task, as
    /// <c>channel:userId</c> (<c>telegram:12345</c>, <c>discord:8123…</c>).</summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>How often the host expires requests past their timeout and resumes tasks whose requests were all answered
    /// elsewhere (by the CLI). Zero turns the sweep off (tests drive it).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>One policy rule. Every condition given must match; an empty rule matches every call.</summary>
public sealed class ApprovalRule
{
    /// <summary>Tool or plugin name pattern (<c>*</c> matches any run of characters, case-insensitive), e.g. <c>github_*</c> or <c>GitHub</c>.</summary>
    public string? Tool { get; set; }

    /// <summary>True: only tools that declare side effects (or declare nothing); false: only read-only tools.</summary>
    public bool? SideEffecting { get; set; }

    /// <summary>Only calls in this channel (<c>telegram</c>, <c>discord</c>, <c>http</c>, <c>console</c>).</summary>
    public string? Channel { get; set; }

    /// <summary>Only calls in this chat id.</summary>
    public string? Chat { get; set; }

    /// <summary>What a matching call gets: true waits for approval, false runs without asking.</summary>
    public bool Require { get; set; } = true;
}
