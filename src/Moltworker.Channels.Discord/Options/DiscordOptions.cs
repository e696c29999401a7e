namespace Moltworker.Channels.Discord.Options;

/// <summary><c>Moltworker:Discord</c>. Nothing starts unless <see cref="BotToken"/> and <see cref="ApplicationId"/> are set.</summary>
public sealed class DiscordOptions
{
    public const string Section = "Moltworker:Discord";

    /// <summary>REST base URL including the API version.</summary>
    public string ApiBase { get; set; } = "https://discord.com/api/v10";

    /// <summary>Gateway URL used for the first connection (READY's resume_gateway_url is used for resumes).</summary>
    public string GatewayUrl { get; set; } = "wss://gateway.discord.gg";

    /// <summary>The bot token (secret, never logged).</summary>
    public string? BotToken { get; set; }

    /// <summary>The application id (developer portal). With <c>BotToken</c> it turns the channel on.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>The application's Ed25519 public key as hex (developer portal, "General Information").</summary>
    public string? PublicKey { get; set; }

    /// <summary>Register commands to this guild (instant) instead of globally.</summary>
    public string? GuildId { get; set; }

    /// <summary><c>Http</c>: Discord POSTs interactions to <c>/discord/interactions</c> (needs a public URL and <c>PublicKey</c>); <c>Gateway</c>: the host holds the gateway WebSocket itself.</summary>
    public DiscordTransport Transport { get; set; } = DiscordTransport.Http;

    /// <summary>Empty: every guild (and DMs). Otherwise only these guilds; DMs are refused.</summary>
    public List<string> AllowedGuildIds { get; set; } = [];

    /// <summary>With <see cref="AllowedRoleIds"/>: empty both means everyone; otherwise a user must be listed or hold a listed role.</summary>
    public List<string> AllowedUserIds { get; set; } = [];

    /// <summary>With <c>AllowedUserIds</c>: when either is set, a user must be listed or hold one of these roles.</summary>
    public List<string> AllowedRoleIds { get; set; } = [];

    /// <summary>Commands one user may start per <see cref="UserRateWindowSeconds"/> (0 = unlimited).</summary>
    public int UserRateLimit { get; set; } = 10;

    /// <summary>The sliding window of the per-user rate limit, in seconds.</summary>
    public int UserRateWindowSeconds { get; set; } = 60;

    /// <summary>Interactions whose X-Signature-Timestamp is further than this from now are refused.</summary>
    public int SignatureWindowSeconds { get; set; } = 300;

    /// <summary>Minimum time between two progress edits of one deferred response.</summary>
    public double ProgressEditIntervalSeconds { get; set; } = 2;

    /// <summary>How long a command handler waits for the deferred response to be acknowledged before editing it.</summary>
    public double AckWaitSeconds { get; set; } = 10;

    /// <summary>Register commands at start (and when plugins change).</summary>
    public bool RegisterCommands { get; set; } = true;

    /// <summary>Requests that hit a 429 are retried this many times before failing.</summary>
    public int MaxRateLimitRetries { get; set; } = 5;

    /// <summary>Wait after op 9 (invalid session) before reconnecting; Discord asks for 1–5 s.</summary>
    public double GatewayInvalidSessionDelaySeconds { get; set; } = 3;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BotToken) && !string.IsNullOrWhiteSpace(ApplicationId);
}
