namespace Moltworker.Channels.Discord.Rest;

/// <summary>
/// One REST call: <see cref="Path"/> is relative to the API base; <see cref="Template"/> is the path with ids
/// replaced (the route part of a rate-limit key); <see cref="MajorParameter"/> is the top-level resource
/// (application, guild, webhook id + token) whose limits Discord keeps apart.
/// </summary>
public sealed record DiscordRoute(HttpMethod Method, string Path, string Template, string MajorParameter)
{
    /// <summary>Key that identifies the route before Discord told us its bucket.</summary>
    public string RouteKey => $"{Method.Method} {Template}";

    /// <summary>Webhook-token routes (interaction responses) are authenticated by the token in the path, not the bot token.</summary>
    public bool UsesBotToken { get; init; } = true;
}
