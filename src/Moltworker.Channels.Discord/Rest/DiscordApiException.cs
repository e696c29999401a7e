using System.Net;

namespace Moltworker.Channels.Discord.Rest;

/// <summary>Discord answered with an error status (other than 429, which is waited out).</summary>
public sealed class DiscordApiException(HttpStatusCode status, int? code, string message)
    : Exception($"Discord API {(int)status}: {message}{(code is { } c ? $" (code {c})" : "")}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>Discord's JSON error code (e.g. 10015 Unknown Webhook), when given.</summary>
    public int? Code { get; } = code;
}
