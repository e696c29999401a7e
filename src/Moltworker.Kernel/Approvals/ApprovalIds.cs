using Moltworker.Kernel.Ids;

namespace Moltworker.Kernel.Approvals;

/// <summary>Request ids: 64 random bits in hex, short enough for a Telegram callback and not guessable. Who may answer
/// a request is decided by who presses or calls (<see cref="ApprovalAuthority"/>); only on the HTTP channel, where any
/// key with the chat scope may answer, does the id stand between keys, and there it is listed to keys with the read
/// scope. The bits come from <see cref="RandomHex"/>: a Guid's, which .NET takes from the operating system's secure
/// random source (not OpenSSL), so they are as hard to guess as <c>RandomNumberGenerator</c>'s.</summary>
public static class ApprovalIds
{
    public static string New() => RandomHex.Of(8);
}
