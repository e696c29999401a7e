using System.Security.Cryptography;
using System.Text;

namespace Moltworker.Channels.Telegram.Webhook;

/// <summary>Constant-time comparison of the X-Telegram-Bot-Api-Secret-Token header with the configured secret.</summary>
public static class WebhookSecret
{
    public const string Header = "X-Telegram-Bot-Api-Secret-Token";

    public static bool Matches(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || presented is null) return false;
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
