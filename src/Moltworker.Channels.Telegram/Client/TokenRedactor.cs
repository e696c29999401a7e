namespace Moltworker.Channels.Telegram.Client;

/// <summary>Removes the bot token from text that may be logged (URLs contain it in their path).</summary>
public static class TokenRedactor
{
    public const string Mask = "<redacted>";

    public static string Redact(string? text, string? token)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        return string.IsNullOrEmpty(token) ? text : text.Replace(token, Mask, StringComparison.Ordinal);
    }
}
