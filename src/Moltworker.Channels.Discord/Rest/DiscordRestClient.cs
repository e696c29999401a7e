using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Options;

namespace Moltworker.Channels.Discord.Rest;

/// <summary>
/// The few Discord REST calls Moltworker needs: bulk-overwrite commands, interaction callbacks, editing the
/// original response, follow-ups, and channel messages for scheduled runs. Every call goes through <see cref="DiscordRateLimiter"/>, so it waits
/// instead of failing when rate limited. The bot token is sent as a header and never logged.
/// </summary>
public sealed class DiscordRestClient(HttpClient http, DiscordRateLimiter limiter, IOptions<DiscordOptions> options)
{
    private DiscordOptions O => options.Value;
    private string AppId => O.ApplicationId ?? throw new InvalidOperationException("Moltworker:Discord:ApplicationId is not set");

    public Task<JsonNode?> BulkOverwriteGlobalCommandsAsync(JsonArray commands, CancellationToken cancellationToken) =>
        SendAsync(new DiscordRoute(HttpMethod.Put, $"applications/{AppId}/commands", "applications/:id/commands", AppId), commands, cancellationToken);

    public Task<JsonNode?> BulkOverwriteGuildCommandsAsync(string guildId, JsonArray commands, CancellationToken cancellationToken) =>
        SendAsync(new DiscordRoute(HttpMethod.Put, $"applications/{AppId}/guilds/{guildId}/commands",
            "applications/:id/guilds/:guild/commands", guildId), commands, cancellationToken);

    /// <summary>Answers an interaction (PONG, deferred, message, autocomplete choices).</summary>
    public Task<JsonNode?> CreateInteractionResponseAsync(string interactionId, string token, JsonObject response, CancellationToken cancellationToken) =>
        SendAsync(new DiscordRoute(HttpMethod.Post, $"interactions/{interactionId}/{token}/callback",
            "interactions/:id/:token/callback", interactionId) { UsesBotToken = false }, response, cancellationToken);

    public Task<JsonNode?> EditOriginalResponseAsync(string token, JsonObject message, CancellationToken cancellationToken) =>
        SendAsync(new DiscordRoute(HttpMethod.Patch, $"webhooks/{AppId}/{token}/messages/@original",
            "webhooks/:id/:token/messages/@original", $"{AppId}/{token}") { UsesBotToken = false }, message, cancellationToken);

    public Task<JsonNode?> DeleteOriginalResponseAsync(string token, CancellationToken cancellationToken) =>
        SendAsync(new DiscordRoute(HttpMethod.Delete, $"webhooks/{AppId}/{token}/messages/@original",
            "webhooks/:id/:token/messages/@original", $"{AppId}/{token}") { UsesBotToken = false }, null, cancellationToken);

    public Task<JsonNode?> CreateFollowupAsync(string token, JsonObject message, CancellationToken cancellationToken) =>
        SendAsync(new DiscordRoute(HttpMethod.Post, $"webhooks/{AppId}/{token}",
            "webhooks/:id/:token", $"{AppId}/{token}") { UsesBotToken = false }, message, cancellationToken);

    /// <summary>Posts a message in a channel with the bot token (a scheduled run's answer, which no interaction waits for).</summary>
    public Task<JsonNode?> CreateMessageAsync(string channelId, JsonObject message, CancellationToken cancellationToken) =>
        SendAsync(new DiscordRoute(HttpMethod.Post, $"channels/{channelId}/messages", "channels/:id/messages", channelId), message, cancellationToken);

    /// <summary>Opens (or finds) the bot's direct-message channel with a user; the answer's <c>id</c> is the channel.</summary>
    public Task<JsonNode?> CreateDirectMessageChannelAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync(new DiscordRoute(HttpMethod.Post, "users/@me/channels", "users/@me/channels", "@me"), new JsonObject { ["recipient_id"] = userId }, cancellationToken);

    /// <summary>Sends <paramref name="body"/> as JSON on <paramref name="route"/>; returns the parsed answer (null for 204).</summary>
    public async Task<JsonNode?> SendAsync(DiscordRoute route, JsonNode? body, CancellationToken cancellationToken)
    {
        var url = new Uri(O.ApiBase.TrimEnd('/') + "/" + route.Path);
        var json = body?.ToJsonString();
        using var response = await limiter.SendAsync(route, ct =>
        {
            var request = new HttpRequestMessage(route.Method, url);
            if (route.UsesBotToken)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bot", O.BotToken);
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            return http.SendAsync(request, ct);
        }, cancellationToken);

        var text = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw Error(response.StatusCode, text);
        if (response.StatusCode == HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }

    private static DiscordApiException Error(HttpStatusCode status, string text)
    {
        int? code = null;
        var message = status.ToString();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci)) code = ci;
            if (doc.RootElement.TryGetProperty("message", out var m) && m.GetString() is { } ms) message = ms;
        }
        catch (JsonException)
        {
            // Keep the status name.
        }
        return new DiscordApiException(status, code, message);
    }
}
