using System.Security.Cryptography;
using System.Text;

namespace Moltworker.Channels.Telegram.Webhook;

/// <summary>Constant-time comparison of the X-Telegram-Bot-Api-Secret-Token header with the configured secret.</summary>
public static class WebhookSecret
{
    public const string Header = "X-Telegram-Bot-Api-Secret-Token";

    /// <summary>Compares the UTF-8 bytes in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/> is
    /// managed code: it loads no OpenSSL, unlike hashing both sides with SHA-256 as this did before). A presented secret
    /// of another length fails at once: its timing tells only that the lengths differ.</summary>
    public static bool Matches(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || presented is null) return false;
        var a = Encoding.UTF8.GetBytes(presented);
        var b = Encoding.UTF8.GetBytes(expected);
        return a.Length == b.Length && CryptographicOperations.FixedTimeEquals(a, b);
    }
}
