using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Client.Models;
using Moltworker.Channels.Telegram.Options;

namespace Moltworker.Channels.Telegram.Client;

/// <summary>
/// A thin Bot API client: one POST with a JSON body per method, the envelope parsed into results or
/// <see cref="TelegramApiException"/>. The token is part of every URL path, so URLs are never logged unredacted.
/// </summary>
public sealed partial class TelegramBotClient(HttpClient http, IOptions<TelegramOptions> options, ILogger<TelegramBotClient> logger)
{
    private readonly string _token = options.Value.BotToken ?? "";
    private readonly string _root = options.Value.ApiRoot.TrimEnd('/');

    public Task<TelegramUser> GetMeAsync(CancellationToken ct) => CallAsync<TelegramUser>("getMe", null, ct);

    /// <summary>Raw updates, so one malformed update cannot spoil the batch.</summary>
    public async Task<IReadOnlyList<JsonElement>> GetUpdatesAsync(long? offset, int limit, int timeoutSeconds, IReadOnlyList<string>? allowedUpdates, CancellationToken ct)
    {
        var payload = new Dictionary<string, object?> { ["limit"] = limit, ["timeout"] = timeoutSeconds };
        if (offset is not null) payload["offset"] = offset;
        if (allowedUpdates is not null) payload["allowed_updates"] = allowedUpdates;
        var result = await CallAsync<JsonElement>("getUpdates", payload, ct);
        return result.ValueKind == JsonValueKind.Array ? [.. result.EnumerateArray().Select(e => e.Clone())] : [];
    }

    public Task<bool> SetWebhookAsync(string url, string? secretToken, IReadOnlyList<string>? allowedUpdates, CancellationToken ct)
    {
        var payload = new Dictionary<string, object?> { ["url"] = url };
        if (!string.IsNullOrEmpty(secretToken)) payload["secret_token"] = secretToken;
        if (allowedUpdates is not null) payload["allowed_updates"] = allowedUpdates;
        return CallAsync<bool>("setWebhook", payload, ct);
    }

    public Task<bool> DeleteWebhookAsync(bool dropPendingUpdates, CancellationToken ct) =>
        CallAsync<bool>("deleteWebhook", new Dictionary<string, object?> { ["drop_pending_updates"] = dropPendingUpdates }, ct);

    public Task<TelegramMessage> SendMessageAsync(long chatId, string text, SendMessageOptions? send, CancellationToken ct)
    {
        var payload = new Dictionary<string, object?> { ["chat_id"] = chatId, ["text"] = text };
        if (send?.ParseMode is { } mode) payload["parse_mode"] = mode;
        if (send?.MessageThreadId is { } thread) payload["message_thread_id"] = thread;
        if (send?.ReplyToMessageId is { } replyTo)
            payload["reply_parameters"] = new Dictionary<string, object?> { ["message_id"] = replyTo, ["allow_sending_without_reply"] = true };
        payload["link_preview_options"] = new Dictionary<string, object?> { ["is_disabled"] = true };
        return CallAsync<TelegramMessage>("sendMessage", payload, ct);
    }

    /// <summary>Edits a bot message. "message is not modified" surfaces as <see cref="TelegramErrorKind.MessageNotModified"/>.</summary>
    public async Task EditMessageTextAsync(long chatId, long messageId, string text, string? parseMode, CancellationToken ct)
    {
        var payload = new Dictionary<string, object?> { ["chat_id"] = chatId, ["message_id"] = messageId, ["text"] = text };
        if (parseMode is not null) payload["parse_mode"] = parseMode;
        payload["link_preview_options"] = new Dictionary<string, object?> { ["is_disabled"] = true };
        await CallAsync<JsonElement>("editMessageText", payload, ct);
    }

    public async Task SendChatActionAsync(long chatId, string action, long? messageThreadId, CancellationToken ct)
    {
        var payload = new Dictionary<string, object?> { ["chat_id"] = chatId, ["action"] = action };
        if (messageThreadId is not null) payload["message_thread_id"] = messageThreadId;
        await CallAsync<bool>("sendChatAction", payload, ct);
    }

    public Task<bool> SetMyCommandsAsync(IReadOnlyList<TelegramBotCommand> commands, CancellationToken ct) =>
        CallAsync<bool>("setMyCommands", new Dictionary<string, object?> { ["commands"] = commands }, ct);

    public Task<TelegramFile> GetFileAsync(string fileId, CancellationToken ct) =>
        CallAsync<TelegramFile>("getFile", new Dictionary<string, object?> { ["file_id"] = fileId }, ct);

    /// <summary>Calls any method and returns its <c>result</c>.</summary>
    public async Task<T> CallAsync<T>(string method, object? payload, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_root}/bot{_token}/{method}")
        {
            Content = JsonContent.Create(payload ?? new Dictionary<string, object?>(), options: TelegramJson.Options),
        };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (HttpRequestException ex) when (!string.IsNullOrEmpty(_token) && ex.ToString().Contains(_token, StringComparison.Ordinal))
        {
            throw new HttpRequestException(TokenRedactor.Redact(ex.Message, _token), null, ex.StatusCode);
        }

        using (response)
        {
            TelegramResponse? envelope = null;
            try { envelope = await response.Content.ReadFromJsonAsync<TelegramResponse>(TelegramJson.Options, ct); }
            catch (JsonException) { }
            catch (NotSupportedException) { }

            if (envelope is null)
            {
                LogNonJson(method, (int)response.StatusCode);
                throw new TelegramApiException(method, (int)response.StatusCode, $"non-JSON response ({response.ReasonPhrase})");
            }
            if (!envelope.Ok)
            {
                var code = envelope.ErrorCode ?? (int)response.StatusCode;
                var description = TokenRedactor.Redact(envelope.Description ?? "no description", _token);
                var retryAfter = envelope.Parameters?.RetryAfter is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
                LogApiError(method, code, description);
                throw new TelegramApiException(method, code, description, retryAfter, envelope.Parameters?.MigrateToChatId);
            }
            return envelope.Result.Deserialize<T>(TelegramJson.Options)!;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram {Method} answered {Code}: {Description}")]
    private partial void LogApiError(string method, int code, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram {Method} answered HTTP {Status} without a Bot API envelope")]
    private partial void LogNonJson(string method, int status);
}
