using Moltworker.Kernel.Ids;

namespace Moltworker.Kernel.Approvals;

/// <summary>Request ids: 64 random bits in hex, short enough for a Telegram callback. Knowing an id grants nothing: who
/// may answer a request is decided by who presses or calls (<see cref="ApprovalAuthority"/>), and <c>GET
/// /api/approvals</c> lists the ids to any reader; so they come from <see cref="RandomHex"/> (a Guid's random bytes),
/// not from OpenSSL.</summary>
public static class ApprovalIds
{
    public static string New() => RandomHex.Of(8);
}
