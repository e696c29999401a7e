using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Telegram;

public sealed partial class TelegramBotApiServer
{
    private const int MaxLength = 4096;

    private async Task HandleAsync(HttpContext context)
    {
        var token = (string)context.Request.RouteValues["token"]!;
        var method = (string)context.Request.RouteValues["method"]!;
        if (token != Token) { await WriteAsync(context, Error(401, "Unauthorized")); return; }
        var p = await ReadParametersAsync(context.Request);
        InjectedFault? fault = null;
        lock (_gate)
        {
            _calls[method] = _calls.GetValueOrDefault(method) + 1;
            if (_faults.TryGetValue(method, out var queue) && queue.Count > 0) fault = queue.Dequeue();
            Signal();
        }
        if (fault is not null)
        {
            await WriteAsync(context, Error(fault.ErrorCode, fault.Description, fault.RetryAfter, fault.MigrateToChatId));
            return;
        }
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var result = method switch
        {
            "getMe" => Ok(new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Molt", ["username"] = BotUsername, ["can_join_groups"] = true }),
            "getUpdates" => await GetUpdatesAsync(p, aborted.Token),
            "sendMessage" => await SendMessageAsync(p, aborted.Token),
            "editMessageText" => EditMessageText(p),
            "answerCallbackQuery" => AnswerCallbackQuery(p),
            "sendChatAction" => SendChatAction(p),
            "setMyCommands" => SetMyCommands(p),
            "setWebhook" => SetWebhook(p),
            "deleteWebhook" => DeleteWebhook(),
            "getFile" => Str(p, "file_id") is { Length: > 0 } id
                ? Ok(new JsonObject { ["file_id"] = id, ["file_unique_id"] = "u" + id, ["file_size"] = 3, ["file_path"] = $"documents/{id}.txt" })
                : Error(400, "Bad Request: invalid file_id"),
            _ => Error(404, "Not Found"),
        };
        lock (_gate) Signal();
        await WriteAsync(context, result);
    }

    private async Task<(int Status, JsonObject Body)> GetUpdatesAsync(JsonObject p, CancellationToken aborted)
    {
        var offset = Long(p, "offset");
        var limit = (int)(Long(p, "limit") ?? 100);
        var timeout = TimeSpan.FromSeconds(Long(p, "timeout") ?? 0);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (WebhookUrl is not null)
                    return Error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
                if (offset is not null)
                {
                    _updates.RemoveAll(u => u["update_id"]!.ToJsonString().Trim('"').ParseLong() < offset);
                    ConfirmedOffset = Math.Max(ConfirmedOffset, offset.Value);
                }
                var batch = _updates.Take(Math.Clamp(limit, 1, 100)).Select(u => u.DeepClone()).ToArray();
                if (batch.Length > 0 || DateTimeOffset.UtcNow >= deadline) return Ok(new JsonArray(batch));
                changed = _changed.Task;
            }
            var remaining = deadline - DateTimeOffset.UtcNow;
            try { await changed.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, aborted); }
            catch (TimeoutException) { }
            catch (OperationCanceledException) { return Ok(new JsonArray()); }
        }
    }

    private async Task<(int Status, JsonObject Body)> SendMessageAsync(JsonObject p, CancellationToken aborted)
    {
        if (Long(p, "chat_id") is not { } chatId) return Error(400, "Bad Request: chat not found");
        TaskCompletionSource? hold;
        lock (_gate)
        {
            if (_migrated.TryGetValue(chatId, out var to))
                return Error(400, "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: to);
            hold = _holds.GetValueOrDefault(chatId);
        }
        if (hold is not null)
        {
            // A held send whose client gave up (a stopping host) is never recorded, as with a dropped connection.
            try { await hold.Task.WaitAsync(aborted); }
            catch (OperationCanceledException)
            {
                lock (_gate) { AbortedSends++; Signal(); }
                return Error(499, "Client Closed Request");
            }
        }
        var raw = Str(p, "text") ?? "";
        var mode = CanonicalParseMode(Str(p, "parse_mode"));
        var (ok, text, error) = Parse(raw, mode);
        if (!ok) return error!.Value;
        var thread = Long(p, "message_thread_id");
        var replyTo = p["reply_parameters"] is JsonObject rp ? Long(rp, "message_id") : Long(p, "reply_to_message_id");
        lock (_gate)
        {
            var message = new BotMessage(chatId, _nextMessageId++, text, raw, mode, thread, replyTo) { ReplyMarkup = Markup(p) };
            _messages.Add(message);
            return Ok(MessageJson(message));
        }
    }

    private (int Status, JsonObject Body) EditMessageText(JsonObject p)
    {
        var chatId = Long(p, "chat_id");
        var messageId = Long(p, "message_id");
        var raw = Str(p, "text") ?? "";
        var mode = CanonicalParseMode(Str(p, "parse_mode"));
        var (ok, text, error) = Parse(raw, mode);
        if (!ok) return error!.Value;
        lock (_gate)
        {
            var index = _messages.FindIndex(m => m.ChatId == chatId && m.MessageId == messageId);
            if (index < 0) return Error(400, "Bad Request: message to edit not found");
            var current = _messages[index];
            if (current.Text == text && current.ParseMode == mode && current.RawText == raw)
                return Error(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
            _messages[index] = current with { Text = text, RawText = raw, ParseMode = mode, Edits = current.Edits + 1, ReplyMarkup = Markup(p) };
            return Ok(MessageJson(_messages[index]));
        }
    }

    private (int Status, JsonObject Body) AnswerCallbackQuery(JsonObject p)
    {
        if (Str(p, "callback_query_id") is not { Length: > 0 } id) return Error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
        lock (_gate) _callbackAnswers.Add(new CallbackAnswer(id, Str(p, "text")));
        return Ok(true);
    }

    private static string? Markup(JsonObject p) => p["reply_markup"] switch
    {
        JsonObject o => o.ToJsonString(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => null,
    };

    private (int Status, JsonObject Body) SendChatAction(JsonObject p)
    {
        if (Long(p, "chat_id") is not { } chatId) return Error(400, "Bad Request: chat not found");
        var action = Str(p, "action");
        if (action is not ("typing" or "upload_document" or "upload_photo" or "record_voice" or "find_location" or "choose_sticker"))
            return Error(400, "Bad Request: wrong parameter action in request");
        lock (_gate) _actions.Add(new ChatActionRecord(chatId, action, Long(p, "message_thread_id"), DateTimeOffset.UtcNow));
        return Ok(true);
    }

    private (int Status, JsonObject Body) SetMyCommands(JsonObject p)
    {
        if (p["commands"] is not JsonArray commands) return Error(400, "Bad Request: commands must be an array");
        if (commands.Count > 100) return Error(400, "Bad Request: BOT_COMMANDS_TOO_MUCH");
        var list = new List<(string, string)>();
        foreach (var node in commands)
        {
            var command = node?["command"]?.GetValue<string>() ?? "";
            var description = node?["description"]?.GetValue<string>() ?? "";
            if (!CommandRegex().IsMatch(command)) return Error(400, "Bad Request: BOT_COMMAND_INVALID");
            if (description.Length is < 1 or > 256) return Error(400, "Bad Request: command description is empty or too long");
            list.Add((command, description));
        }
        lock (_gate) Commands = list;
        return Ok(true);
    }

    private (int Status, JsonObject Body) SetWebhook(JsonObject p)
    {
        var url = Str(p, "url") ?? "";
        var secret = Str(p, "secret_token");
        if (secret is not null && !SecretRegex().IsMatch(secret)) return Error(400, "Bad Request: secret token contains unallowed characters");
        lock (_gate)
        {
            WebhookUrl = url.Length == 0 ? null : url;
            WebhookSecret = url.Length == 0 ? null : secret;
        }
        return Ok(true);
    }

    private (int Status, JsonObject Body) DeleteWebhook()
    {
        lock (_gate) { WebhookUrl = null; WebhookSecret = null; }
        return Ok(true);
    }

    /// <summary>Telegram reads parse_mode without regard to case ("Html" from Telegram.Bot, "HTML" in the docs); the
    /// server records the documented spelling.</summary>
    private static string? CanonicalParseMode(string? mode) => mode?.ToUpperInvariant() switch
    {
        "HTML" => "HTML",
        "MARKDOWNV2" => "MarkdownV2",
        "MARKDOWN" => "Markdown",
        _ => mode,
    };

    private static (bool Ok, string Text, (int, JsonObject)? Error) Parse(string raw, string? mode)
    {
        var text = raw;
        if (mode == "HTML" && !TelegramHtmlParser.TryParse(raw, out text, out var why))
            return (false, "", Error(400, "Bad Request: can't parse entities: " + why));
        if (text.Trim().Length == 0) return (false, "", Error(400, "Bad Request: message text is empty"));
        if (text.Length > MaxLength) return (false, "", Error(400, "Bad Request: message is too long"));
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            return (false, "", Error(400, "Bad Request: text must be encoded in UTF-8"));
        }
        return (true, text, null);
    }

    private JsonObject MessageJson(BotMessage m)
    {
        var json = new JsonObject
        {
            ["message_id"] = m.MessageId,
            ["from"] = new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Molt", ["username"] = BotUsername },
            ["chat"] = new JsonObject { ["id"] = m.ChatId, ["type"] = m.ChatId < 0 ? "supergroup" : "private" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = m.Text,
        };
        if (m.ThreadId is not null) json["message_thread_id"] = m.ThreadId;
        return json;
    }

    private static (int, JsonObject) Ok(JsonNode result) => (200, new JsonObject { ["ok"] = true, ["result"] = result });

    private static (int, JsonObject) Error(int code, string description, int? retryAfter = null, long? migrateTo = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is not null || migrateTo is not null)
        {
            var parameters = new JsonObject();
            if (retryAfter is not null) parameters["retry_after"] = retryAfter;
            if (migrateTo is not null) parameters["migrate_to_chat_id"] = migrateTo;
            body["parameters"] = parameters;
        }
        return (code, body);
    }

    private static async Task WriteAsync(HttpContext context, (int Status, JsonObject Body) result)
    {
        context.Response.StatusCode = result.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.Body.ToJsonString());
    }

    private static async Task<JsonObject> ReadParametersAsync(HttpRequest request)
    {
        var p = new JsonObject();
        foreach (var (key, value) in request.Query) p[key] = value.ToString();
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync()) p[key] = ParseMaybeJson(value.ToString());
        }
        else if (request.ContentLength != 0)
        {
            try
            {
                if (await JsonNode.ParseAsync(request.Body) is JsonObject body)
                    foreach (var (key, value) in body) p[key] = value?.DeepClone();
            }
            catch (JsonException) { }
        }
        return p;
    }

    private static JsonNode? ParseMaybeJson(string value) =>
        value.StartsWith('[') || value.StartsWith('{') ? JsonNode.Parse(value) : JsonValue.Create(value);

    private static string? Str(JsonObject p, string name) => p[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => other.ToJsonString(),
    };

    private static long? Long(JsonObject p, string name) => p[name] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString().ParseLong(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && long.TryParse(v.GetValue<string>(), out var n) => n,
        _ => null,
    };

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex CommandRegex();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretRegex();
}
