namespace Moltworker.Channels.Discord.Gateway;

/// <summary>What a close code means for the next connection.</summary>
public static class GatewayCloseCodes
{
    public const int AuthenticationFailed = 4004;
    public const int InvalidSeq = 4007;
    public const int SessionTimedOut = 4009;

    /// <summary>Reconnecting cannot help: wrong token, sharding, API version or intents. The gateway stops.</summary>
    public static bool IsFatal(int code) => code is AuthenticationFailed or (>= 4010 and <= 4014);

    /// <summary>The session is gone: reconnect with a fresh IDENTIFY instead of RESUME.</summary>
    public static bool InvalidatesSession(int code) => code is InvalidSeq or SessionTimedOut;

    public static string Describe(int code) => code switch
    {
        4000 => "unknown error",
        4001 => "unknown opcode",
        4002 => "decode error",
        4003 => "not authenticated",
        4004 => "authentication failed (check Moltworker:Discord:BotToken)",
        4005 => "already authenticated",
        4007 => "invalid seq",
        4008 => "rate limited",
        4009 => "session timed out",
        4010 => "invalid shard",
        4011 => "sharding required",
        4012 => "invalid API version",
        4013 => "invalid intents",
        4014 => "disallowed intents",
        _ => "closed",
    };
}
