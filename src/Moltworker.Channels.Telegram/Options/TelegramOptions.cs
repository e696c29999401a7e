namespace Moltworker.Channels.Telegram.Options;

/// <summary><c>Moltworker:Telegram</c> (environment: <c>Moltworker__Telegram__Key</c>).</summary>
public sealed class TelegramOptions
{
    public const string Section = "Moltworker:Telegram";

    /// <summary>The bot token from @BotFather (<c>123456789:AAH…</c>: the bot's id, a colon, the secret; anything else stops the
    /// host at start). Without it the channel is off.</summary>
    public string? BotToken { get; set; }

    /// <summary>Bot API root: scheme, host and port only (a self-hosted Bot API server or an in-test server sets its own;
    /// a path is refused at start, as Telegram.Bot would drop it).</summary>
    public string ApiRoot { get; set; } = "https://api.telegram.org";

    /// <summary><c>Polling</c> (long-polling <c>getUpdates</c>) or <c>Webhook</c> (Telegram POSTs to <c>/telegram/webhook</c>; needs <c>WebhookUrl</c> and <c>WebhookSecret</c>).</summary>
    public TelegramMode Mode { get; set; } = TelegramMode.Polling;

    /// <summary>Public HTTPS URL Telegram posts to in webhook mode (ends with <c>/telegram/webhook</c>).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>secret_token given to setWebhook and expected in <c>X-Telegram-Bot-Api-Secret-Token</c>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>User ids served. Empty together with <see cref="AllowedChatIds"/>: everyone is served.</summary>
    public List<long> AllowedUserIds { get; set; } = [];

    /// <summary>Chat ids served (groups included).</summary>
    public List<long> AllowedChatIds { get; set; } = [];

    /// <summary>getUpdates long-poll timeout in seconds.</summary>
    public int PollTimeoutSeconds { get; set; } = 30;

    /// <summary>getUpdates limit (1-100).</summary>
    public int PollLimit { get; set; } = 100;

    /// <summary>Longest wait between failing getUpdates calls.</summary>
    public TimeSpan PollMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often "typing" is sent while a turn runs.</summary>
    public TimeSpan TypingInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Messages a user may send per <see cref="RateLimitWindow"/> (0 = no limit).</summary>
    public int RateLimitPerUser { get; set; } = 20;

    /// <summary>The sliding window of <c>RateLimitPerUser</c>.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Retries of a send/edit after 429, 5xx or a network error.</summary>
    public int MaxSendRetries { get; set; } = 5;

    /// <summary>Telegram's limit for one message; parts are split under it.</summary>
    public int MaxMessageLength { get; set; } = 4096;

    /// <summary>Edit the reply as the model streams text.</summary>
    public bool StreamReplies { get; set; }

    /// <summary>Minimum time between two edits of a streamed reply or of the progress message.</summary>
    public TimeSpan EditInterval { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Show one status message edited as tools run.</summary>
    public bool ShowProgress { get; set; } = true;

    /// <summary>How long a reply already being sent may still take once the host is stopping (so an answer is
    /// not cut off halfway and sent again after the restart).</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Call setMyCommands at start and when plugins change.</summary>
    public bool RegisterCommands { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);
}
