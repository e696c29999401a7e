namespace Moltworker.Channels.Discord.Gateway;

/// <summary>What a RESUME needs: READY's session id and resume URL, and the last sequence number seen.</summary>
internal sealed class GatewaySession
{
    public string? SessionId { get; set; }
    public string? ResumeUrl { get; set; }
    public long? Sequence { get; set; }

    public bool CanResume => SessionId is not null;

    public void Clear()
    {
        SessionId = null;
        ResumeUrl = null;
        Sequence = null;
    }
}
