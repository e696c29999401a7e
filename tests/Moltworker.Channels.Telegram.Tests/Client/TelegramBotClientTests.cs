using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Client.Models;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.Client;

public class TelegramBotClientTests : IAsyncLifetime
{
    private TelegramBotApiServer _server = null!;
    private TelegramBotClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TelegramBotApiServer.StartAsync();
        _client = TestClients.Client(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetMe_returns_the_bot()
    {
        var me = await _client.GetMeAsync(default);
        Assert.True(me.IsBot);
        Assert.Equal(_server.BotUsername, me.Username);
    }

    [Fact]
    public async Task SendMessage_with_html_and_thread()
    {
        var sent = await _client.SendMessageAsync(42, "<b>hi</b> &amp; bye", new SendMessageOptions { ParseMode = "HTML", MessageThreadId = 7, ReplyToMessageId = 3 }, default);
        Assert.Equal(42, sent.Chat.Id);
        var stored = Assert.Single(_server.Messages(42));
        Assert.Equal("hi & bye", stored.Text);
        Assert.Equal(7, stored.ThreadId);
        Assert.Equal(3, stored.ReplyToMessageId);
    }

    [Fact]
    public async Task Bad_html_is_a_typed_cant_parse_entities_error()
    {
        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => _client.SendMessageAsync(1, "<p>x</p>", SendMessageOptions.Html, default));
        Assert.Equal(TelegramErrorKind.CantParseEntities, ex.Kind);
        Assert.Equal(400, ex.ErrorCode);
    }

    [Fact]
    public async Task Too_long_is_a_typed_error()
    {
        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => _client.SendMessageAsync(1, new string('x', 4097), null, default));
        Assert.Equal(TelegramErrorKind.MessageTooLong, ex.Kind);
    }

    [Fact]
    public async Task Rate_limit_carries_retry_after()
    {
        _server.InjectFault("sendMessage", new InjectedFault(429, "Too Many Requests: retry after 7", RetryAfter: 7));
        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => _client.SendMessageAsync(1, "x", null, default));
        Assert.Equal(TelegramErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Migration_carries_the_new_chat_id()
    {
        _server.MigrateChat(-100, -1001234);
        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => _client.SendMessageAsync(-100, "x", null, default));
        Assert.Equal(TelegramErrorKind.ChatMigrated, ex.Kind);
        Assert.Equal(-1001234, ex.MigrateToChatId);
    }

    [Fact]
    public async Task Edit_with_same_text_is_not_modified()
    {
        var sent = await _client.SendMessageAsync(5, "same", null, default);
        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => _client.EditMessageTextAsync(5, sent.MessageId, "same", null, default));
        Assert.Equal(TelegramErrorKind.MessageNotModified, ex.Kind);
        await _client.EditMessageTextAsync(5, sent.MessageId, "changed", null, default);
        Assert.Equal("changed", _server.Messages(5)[0].Text);
    }

    [Fact]
    public async Task Wrong_token_is_unauthorized_and_the_message_has_no_token()
    {
        var client = new TelegramBotClient(new HttpClient(), Microsoft.Extensions.Options.Options.Create(new Options.TelegramOptions { BotToken = "999:wrong-token-value", ApiRoot = _server.ApiRoot }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TelegramBotClient>.Instance);
        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => client.GetMeAsync(default));
        Assert.Equal(TelegramErrorKind.Unauthorized, ex.Kind);
        Assert.DoesNotContain("wrong-token-value", ex.ToString());
    }

    [Fact]
    public async Task Long_poll_waits_for_an_update()
    {
        var poll = _client.GetUpdatesAsync(null, 100, 20, null, default);
        await _server.WaitUntilAsync(s => s.Calls("getUpdates") == 1);
        Assert.False(poll.IsCompleted);
        var id = _server.EnqueueText(1, 2, "hello");
        var updates = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(id, Assert.Single(updates).GetProperty("update_id").GetInt64());
        var confirmed = await _client.GetUpdatesAsync(id + 1, 100, 0, null, default);
        Assert.Empty(confirmed);
    }

    [Fact]
    public async Task Commands_webhook_chat_action_and_file()
    {
        Assert.True(await _client.SetMyCommandsAsync([new TelegramBotCommand("help", "Help")], default));
        Assert.Equal("help", Assert.Single(_server.Commands).Command);
        Assert.True(await _client.SetWebhookAsync("http://127.0.0.1:1/telegram/webhook", "s3cret", null, default));
        Assert.Equal("s3cret", _server.WebhookSecret);
        var conflict = await Assert.ThrowsAsync<TelegramApiException>(() => _client.GetUpdatesAsync(null, 1, 0, null, default));
        Assert.Equal(TelegramErrorKind.Conflict, conflict.Kind);
        Assert.True(await _client.DeleteWebhookAsync(false, default));
        await _client.SendChatActionAsync(9, "typing", 4, default);
        Assert.Equal(4, Assert.Single(_server.ChatActions(9)).ThreadId);
        var file = await _client.GetFileAsync("abc", default);
        Assert.Equal("documents/abc.txt", file.FilePath);
    }
}
