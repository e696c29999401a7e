using System.Security.Cryptography;

namespace Moltworker.Kernel.Approvals;

/// <summary>Request ids: 64 random bits in hex, short enough for a Telegram callback and not guessable.</summary>
public static class ApprovalIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
