using Moltworker.Channels.Telegram.Client;

namespace Moltworker.Channels.Telegram.Options;

/// <summary>
/// What is wrong with an enabled channel's settings, checked when the channel is registered so the host refuses to
/// start (an <c>OptionsValidationException</c>: "Invalid configuration", exit code 78) instead of retrying a call that
/// can never work. The token itself never appears in a message.
/// </summary>
public static class TelegramOptionsCheck
{
    /// <summary>The problems of <paramref name="options"/>; empty when the channel can start.</summary>
    public static IReadOnlyList<string> Problems(TelegramOptions options)
    {
        var problems = new List<string>();
        var rootOk = Uri.TryCreate(options.ApiRoot, UriKind.Absolute, out var root) && root.Scheme is "http" or "https";
        if (!rootOk)
            problems.Add($"{TelegramOptions.Section}:ApiRoot must be an absolute http or https URL such as https://api.telegram.org (it is \"{options.ApiRoot}\").");
        else if (root!.AbsolutePath != "/" || root.Query.Length > 0)
            problems.Add($"{TelegramOptions.Section}:ApiRoot must be the server's root (scheme, host and port) without a path or query: Telegram.Bot sends every call to {{root}}/bot{{token}}/{{method}} and would drop \"{root.PathAndQuery}\".");
        if (rootOk && !IsBotToken(options))
            problems.Add($"{TelegramOptions.Section}:BotToken is not a bot token: it must look like 123456789:AAH… (the bot's numeric id, a colon, then the secret), as @BotFather gives it.");
        if (options.Mode == TelegramMode.Webhook && (string.IsNullOrWhiteSpace(options.WebhookUrl) || !IsValidSecret(options.WebhookSecret)))
            problems.Add($"Telegram webhook mode needs {TelegramOptions.Section}:WebhookUrl and {TelegramOptions.Section}:WebhookSecret (1-256 of A-Z a-z 0-9 _ -).");
        return problems;
    }

    /// <summary>Telegram's rule for <c>secret_token</c>: 1–256 characters of A-Z a-z 0-9 _ -.</summary>
    public static bool IsValidSecret(string? secret) =>
        secret is { Length: >= 1 and <= 256 } && secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    // The library's own reading of the token (digits up to the colon become the bot id) decides, so what passes here
    // is exactly what the client accepts.
    private static bool IsBotToken(TelegramOptions options)
    {
        try
        {
            BotClientFactory.LibraryOptions(options);
            return true;
        }
        catch (ArgumentException) { return false; }
    }
}
