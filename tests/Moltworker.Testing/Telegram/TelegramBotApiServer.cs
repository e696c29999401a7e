using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Moltworker.Testing.Hosting;

namespace Moltworker.Testing.Telegram;

/// <summary>
/// An in-test Telegram Bot API on loopback (Kestrel, port 0): the real envelope and error codes, long polls
/// that wait, 4096-character limit, strict HTML parse mode, injected 429/5xx, chat migration, and webhook
/// delivery with the secret header. Everything is in memory; tests wait on <see cref="WaitUntilAsync"/>.
/// </summary>
public sealed partial class TelegramBotApiServer : IAsyncDisposable
{
    public const string DefaultToken = "123456789:AAH-test_TOKEN-do-not-log-0123456789";
    private static readonly HttpClient WebhookClient = new();

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<JsonObject> _updates = [];
    private readonly List<BotMessage> _messages = [];
    private readonly List<ChatActionRecord> _actions = [];
    private readonly List<CallbackAnswer> _callbackAnswers = [];
    private readonly Dictionary<string, Queue<InjectedFault>> _faults = [];
    private readonly Dictionary<string, int> _calls = [];
    private readonly Dictionary<long, long> _migrated = [];
    private readonly Dictionary<long, TaskCompletionSource> _holds = [];
    private readonly Dictionary<long, JsonObject> _delivered = [];
    private TaskCompletionSource _changed = NewSignal();
    private long _nextUpdateId = 10_000;
    private long _nextMessageId = 1;

    private TelegramBotApiServer(WebApplication app, string token, string botUsername, long botId)
    {
        _app = app;
        Token = token;
        BotUsername = botUsername;
        BotId = botId;
    }

    public string Token { get; }
    public string BotUsername { get; }
    public long BotId { get; }

    public const long DefaultBotId = 7_000_000_001;

    /// <summary>Base address, e.g. http://127.0.0.1:41234 (the ApiRoot a client is configured with).</summary>
    public string ApiRoot { get; private set; } = "";

    public string? WebhookUrl { get; private set; }
    public string? WebhookSecret { get; private set; }

    /// <summary>The highest offset a getUpdates call confirmed (updates below it are gone).</summary>
    public long ConfirmedOffset { get; private set; }

    public IReadOnlyList<(string Command, string Description)> Commands { get; private set; } = [];

    /// <summary>Held sendMessage calls whose client gave up before the hold was released (never recorded).</summary>
    public int AbortedSends { get; private set; }

    /// <summary>Starts a server for one bot; another bot (a different token, id and username) gets its own server.</summary>
    public static async Task<TelegramBotApiServer> StartAsync(string token = DefaultToken, string botUsername = "molt_test_bot", long botId = DefaultBotId)
    {
        TelegramBotApiServer? server = null;
        var (_, address) = await LoopbackApp.StartAsync(app =>
        {
            server = new TelegramBotApiServer(app, token, botUsername, botId);
            app.MapMethods("/bot{token}/{method}", ["GET", "POST"], server.HandleAsync);
        });
        server!.ApiRoot = address.ToString().TrimEnd('/');
        return server;
    }

    /// <summary>Queues an update for getUpdates; assigns update_id when missing. Returns the id.</summary>
    public long EnqueueUpdate(JsonObject update)
    {
        lock (_gate)
        {
            if (update["update_id"] is null) update["update_id"] = ++_nextUpdateId;
            var id = update["update_id"]!.ToJsonString().Trim('"').ParseLong();
            _nextUpdateId = Math.Max(_nextUpdateId, id);
            _updates.Add(update);
            _delivered[id] = update;
            Signal();
            return id;
        }
    }

    /// <summary>Queues a text message from a user (private chat unless <paramref name="chatType"/> says otherwise).</summary>
    public long EnqueueText(long chatId, long userId, string text, string chatType = "private", long? threadId = null, long? replyToMessageId = null) =>
        EnqueueUpdate(TextUpdate(chatId, userId, text, chatType, threadId, replyToMessageId));

    /// <summary>Builds a message update as Telegram would send it, with bot_command and mention entities.</summary>
    public JsonObject TextUpdate(long chatId, long userId, string text, string chatType = "private", long? threadId = null, long? replyToMessageId = null)
    {
        long messageId;
        lock (_gate) messageId = _nextMessageId++;
        var chat = new JsonObject { ["id"] = chatId, ["type"] = chatType };
        if (chatType != "private") chat["title"] = "Test group";
        if (threadId is not null) chat["is_forum"] = true;
        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = "User" + userId },
            ["chat"] = chat,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = text,
        };
        var entities = Entities(text);
        if (entities.Count > 0) message["entities"] = entities;
        if (threadId is not null) { message["message_thread_id"] = threadId; message["is_topic_message"] = true; }
        if (replyToMessageId is not null)
        {
            BotMessage? original;
            lock (_gate) original = _messages.LastOrDefault(m => m.MessageId == replyToMessageId);
            message["reply_to_message"] = new JsonObject
            {
                ["message_id"] = replyToMessageId,
                ["from"] = new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Molt", ["username"] = BotUsername },
                ["chat"] = chat.DeepClone(),
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["text"] = original?.Text ?? "",
            };
        }
        return new JsonObject { ["message"] = message };
    }

    /// <summary>Builds a callback_query update: <paramref name="userId"/> pressed the inline button with
    /// <paramref name="data"/> under the bot's message <paramref name="messageId"/> in <paramref name="chatId"/>.</summary>
    public JsonObject CallbackUpdate(long chatId, long userId, long messageId, string data)
    {
        string text;
        lock (_gate) text = _messages.LastOrDefault(m => m.ChatId == chatId && m.MessageId == messageId)?.Text ?? "";
        return new JsonObject
        {
            ["callback_query"] = new JsonObject
            {
                ["id"] = $"cq-{Guid.NewGuid():N}",
                ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = "User" + userId },
                ["message"] = new JsonObject
                {
                    ["message_id"] = messageId,
                    ["from"] = new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Molt", ["username"] = BotUsername },
                    ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = chatId < 0 ? "supergroup" : "private" },
                    ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["text"] = text,
                },
                ["chat_instance"] = "ci-" + chatId,
                ["data"] = data,
            },
        };
    }

    /// <summary>The answerCallbackQuery calls the bot made, in order.</summary>
    public IReadOnlyList<CallbackAnswer> CallbackAnswers { get { lock (_gate) return _callbackAnswers.ToArray(); } }

    /// <summary>Puts an already delivered update back in the queue (a duplicate delivery).</summary>
    public void Redeliver(long updateId)
    {
        lock (_gate)
        {
            _updates.Add((JsonObject)_delivered[updateId].DeepClone());
            Signal();
        }
    }

    /// <summary>The next call of <paramref name="method"/> fails with this error.</summary>
    public void InjectFault(string method, InjectedFault fault)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(method, out var queue)) _faults[method] = queue = new Queue<InjectedFault>();
            queue.Enqueue(fault);
        }
    }

    /// <summary>sendMessage to <paramref name="from"/> answers 400 with migrate_to_chat_id = <paramref name="to"/>.</summary>
    public void MigrateChat(long from, long to) { lock (_gate) _migrated[from] = to; }

    /// <summary>sendMessage to this chat waits until the returned hold is released.</summary>
    public TaskCompletionSource HoldSends(long chatId)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _holds[chatId] = hold;
        return hold;
    }

    public IReadOnlyList<BotMessage> Messages(long? chatId = null)
    {
        lock (_gate) return [.. _messages.Where(m => chatId is null || m.ChatId == chatId)];
    }

    public IReadOnlyList<ChatActionRecord> ChatActions(long? chatId = null)
    {
        lock (_gate) return [.. _actions.Where(a => chatId is null || a.ChatId == chatId)];
    }

    /// <summary>Messages the bot sent so far, all chats (cheap; for benchmarks).</summary>
    public int MessageCount
    {
        get { lock (_gate) return _messages.Count; }
    }

    /// <summary>Forgets sent messages and chat actions (benchmarks keep memory flat between rounds).</summary>
    public void ClearHistory()
    {
        lock (_gate) { _messages.Clear(); _actions.Clear(); }
    }

    public int Calls(string method)
    {
        lock (_gate) return _calls.GetValueOrDefault(method);
    }

    public int PendingUpdates
    {
        get { lock (_gate) return _updates.Count; }
    }

    /// <summary>Waits (without polling) until <paramref name="condition"/> holds after some server event.</summary>
    public async Task WaitUntilAsync(Func<TelegramBotApiServer, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task changed;
            lock (_gate) changed = _changed.Task;
            if (condition(this)) return;
            try { await changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException("The in-test Bot API server did not reach the expected state."); }
        }
    }

    /// <summary>Posts an update to the registered webhook as Telegram does; the secret header is the registered one
    /// unless <paramref name="secret"/> overrides it (null with <paramref name="omitSecret"/> sends none).</summary>
    public async Task<HttpStatusCode> DeliverWebhookAsync(JsonObject update, string? secret = null, bool omitSecret = false, string? url = null)
    {
        lock (_gate)
        {
            if (update["update_id"] is null) update["update_id"] = ++_nextUpdateId;
            _delivered[update["update_id"]!.ToJsonString().Trim('"').ParseLong()] = update;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, url ?? WebhookUrl ?? throw new InvalidOperationException("No webhook set"))
        {
            Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var header = secret ?? WebhookSecret;
        if (!omitSecret && header is not null) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", header);
        using var response = await WebhookClient.SendAsync(request);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private void Signal()
    {
        var old = _changed;
        _changed = NewSignal();
        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private JsonArray Entities(string text)
    {
        var entities = new JsonArray();
        if (text.StartsWith('/'))
        {
            var end = text.IndexOfAny([' ', '\n']);
            entities.Add(new JsonObject { ["offset"] = 0, ["length"] = end < 0 ? text.Length : end, ["type"] = "bot_command" });
        }
        var mention = "@" + BotUsername;
        for (var at = text.IndexOf(mention, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(mention, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            if (at > 0 && text[at - 1] != ' ' && text[at - 1] != '\n') continue;
            entities.Add(new JsonObject { ["offset"] = at, ["length"] = mention.Length, ["type"] = "mention" });
        }
        return entities;
    }
}
