using System.Text.Json;
using System.Text.Json.Nodes;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Moltworker.Channels.Telegram.Tests.Client;

/// <summary>Telegram.Bot's <see cref="TelegramBotClient"/>, built as the channel builds it (<see cref="BotClientFactory"/>),
/// against the in-test Bot API over loopback HTTP: the calls the channel makes and the errors it relies on.</summary>
public class TelegramBotClientTests : IAsyncLifetime
{
    private TelegramBotApiServer _server = null!;
    private ITelegramBotClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TelegramBotApiServer.StartAsync();
        _client = TestClients.Client(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetMe_returns_the_bot()
    {
        var me = await _client.GetMe();
        Assert.True(me.IsBot);
        Assert.Equal(_server.BotUsername, me.Username);
        Assert.Equal(_server.BotId, me.Id);
    }

    [Fact]
    public async Task SendMessage_with_html_thread_and_reply()
    {
        var sent = await _client.SendMessage(42, "<b>hi</b> &amp; bye", ParseMode.Html, replyParameters: new ReplyParameters { MessageId = 3 }, messageThreadId: 7);
        Assert.Equal(42, sent.Chat.Id);
        var stored = Assert.Single(_server.Messages(42));
        Assert.Equal(sent.Id, stored.MessageId);
        Assert.Equal("hi & bye", stored.Text);
        Assert.Equal("HTML", stored.ParseMode);
        Assert.Equal(7, stored.ThreadId);
        Assert.Equal(3, stored.ReplyToMessageId);
    }

    [Fact]
    public async Task Bad_html_is_a_400_cant_parse_entities()
    {
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => _client.SendMessage(1, "<p>x</p>", ParseMode.Html));
        Assert.Equal(400, ex.ErrorCode);
        Assert.True(TelegramErrors.IsCantParseEntities(ex));
        Assert.False(TelegramErrors.IsTransient(ex));
    }

    [Fact]
    public async Task Too_long_is_a_400_that_is_not_retried()
    {
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => _client.SendMessage(1, new string('x', 4097)));
        Assert.Equal(400, ex.ErrorCode);
        Assert.Contains("message is too long", ex.Message);
        Assert.False(TelegramErrors.IsTransient(ex));
    }

    [Fact]
    public async Task A_429_carries_retry_after_and_the_library_does_not_wait_on_its_own()
    {
        _server.InjectFault("sendMessage", new InjectedFault(429, "Too Many Requests: retry after 7", RetryAfter: 7));
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => _client.SendMessage(1, "x"));
        Assert.Equal(429, ex.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(7), TelegramErrors.RetryAfter(ex));
        Assert.True(TelegramErrors.IsTransient(ex));
        // Telegram.Bot's built-in retry (RetryThreshold) is off: the wait belongs to the channel's pipeline and its clock.
        Assert.Equal(1, _server.Calls("sendMessage"));
        Assert.Empty(_server.Messages(1));
    }

    [Fact]
    public async Task Migration_carries_the_new_chat_id()
    {
        _server.MigrateChat(-100, -1001234);
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => _client.SendMessage(-100, "x"));
        Assert.Equal(-1001234, TelegramErrors.MigrateToChatId(ex));
    }

    [Fact]
    public async Task Edit_with_same_text_is_not_modified()
    {
        var sent = await _client.SendMessage(5, "same");
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => _client.EditMessageText(5, sent.Id, "same"));
        Assert.True(TelegramErrors.IsNotModified(ex));
        await _client.EditMessageText(5, sent.Id, "changed");
        Assert.Equal("changed", _server.Messages(5)[0].Text);
    }

    [Fact]
    public async Task Wrong_token_is_a_bad_token_and_no_message_contains_it()
    {
        var client = BotClientFactory.Create(new TelegramOptions { BotToken = "999:wrong-token-value", ApiRoot = _server.ApiRoot }, new HttpClient());
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => client.GetMe());
        Assert.Equal(401, ex.ErrorCode);
        Assert.True(TelegramErrors.IsBadToken(ex));
        Assert.DoesNotContain("wrong-token-value", ex.ToString());
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_failure_without_the_token()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var client = BotClientFactory.Create(new TelegramOptions { BotToken = _server.Token, ApiRoot = $"http://127.0.0.1:{port}" }, new HttpClient());
        var ex = await Assert.ThrowsAsync<RequestException>(() => client.GetMe());
        Assert.IsNotType<ApiRequestException>(ex);
        Assert.True(TelegramErrors.IsTransient(ex));
        Assert.DoesNotContain(_server.Token.Split(':')[1], ex.ToString());
    }

    [Fact]
    public async Task Long_poll_waits_for_an_update_and_the_offset_confirms_it()
    {
        var poll = _client.SendRequest(new RawUpdatesRequest { Timeout = 20 });
        await _server.WaitUntilAsync(s => s.Calls("getUpdates") == 1);
        Assert.False(poll.IsCompleted);
        var id = _server.EnqueueText(1, 2, "hello");
        var updates = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(id, Assert.Single(updates).GetProperty("update_id").GetInt64());
        Assert.Empty(await _client.SendRequest(new RawUpdatesRequest { Offset = (int)id + 1, Timeout = 0 }));
        Assert.Equal(id + 1, _server.ConfirmedOffset);
    }

    /// <summary>Why the poller asks for raw updates: the library reads a batch as one <c>Update[]</c>, so one update it
    /// cannot read fails the whole batch. Read one by one with <see cref="JsonBotAPI.Options"/>, only that one fails.</summary>
    [Fact]
    public async Task One_unreadable_update_fails_the_librarys_typed_batch_but_not_the_raw_one()
    {
        var bad = _server.EnqueueUpdate(new JsonObject { ["message"] = "not an object" });
        var good = _server.EnqueueText(3, 4, "still here");

        var typed = await Assert.ThrowsAsync<RequestException>(() => _client.GetUpdates(timeout: 0));
        Assert.IsAssignableFrom<JsonException>(typed.InnerException);

        var raw = await _client.SendRequest(new RawUpdatesRequest { Timeout = 0 });
        Assert.Equal([bad, good], raw.Select(u => u.GetProperty("update_id").GetInt64()));
        Assert.ThrowsAny<JsonException>(() => raw[0].Deserialize<Update>(JsonBotAPI.Options));
        var update = raw[1].Deserialize<Update>(JsonBotAPI.Options)!;
        Assert.Equal("still here", update.Message!.Text);
        Assert.Equal(ChatType.Private, update.Message.Chat.Type);
    }

    [Fact]
    public async Task Commands_webhook_with_secret_conflict_and_chat_action()
    {
        await _client.SetMyCommands([new BotCommand("help", "Help")]);
        Assert.Equal(("help", "Help"), Assert.Single(_server.Commands));
        await _client.SetWebhook("http://127.0.0.1:1/telegram/webhook", secretToken: "s3cret", allowedUpdates: [UpdateType.Message]);
        Assert.Equal("s3cret", _server.WebhookSecret);
        var conflict = await Assert.ThrowsAsync<ApiRequestException>(() => _client.SendRequest(new RawUpdatesRequest { Limit = 1, Timeout = 0 }));
        Assert.Equal(409, conflict.ErrorCode);
        await _client.DeleteWebhook(false);
        Assert.Null(_server.WebhookUrl);
        await _client.SendChatAction(9, ChatAction.Typing, messageThreadId: 4);
        var action = Assert.Single(_server.ChatActions(9));
        Assert.Equal("typing", action.Action);
        Assert.Equal(4, action.ThreadId);
    }
}
