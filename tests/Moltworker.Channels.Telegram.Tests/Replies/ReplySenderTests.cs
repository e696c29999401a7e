using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Replies;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.Telegram;
using Moltworker.Testing.Time;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Channels.Telegram.Tests.Replies;

public class ReplySenderTests : IAsyncLifetime
{
    private TelegramBotApiServer _server = null!;
    private readonly FakeTimeProvider _time = new();
    private readonly MemoryKeyValueStore _store = new();
    private ReplySender _sender = null!;

    public async Task InitializeAsync()
    {
        _server = await TelegramBotApiServer.StartAsync();
        var options = MsOptions.Create(new TelegramOptions { BotToken = _server.Token, ApiRoot = _server.ApiRoot, MaxSendRetries = 3 });
        _sender = new ReplySender(TestClients.Client(_server), new TelegramResilience(options, _time), new ChatMigrations(_store), options, NullLogger<ReplySender>.Instance);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_429_waits_retry_after_then_sends()
    {
        _server.InjectFault("sendMessage", new InjectedFault(429, "Too Many Requests: retry after 5", RetryAfter: 5));
        var sending = _sender.SendMarkdownAsync(new ReplyTarget(1), "hello", default);
        var delay = await _time.WaitForTimerAsync();
        Assert.Equal(TimeSpan.FromSeconds(5), delay);
        Assert.Empty(_server.Messages(1));
        _time.Advance(TimeSpan.FromSeconds(5));
        await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("hello", Assert.Single(_server.Messages(1)).Text);
        Assert.Equal(2, _server.Calls("sendMessage"));
    }

    [Fact]
    public async Task Server_errors_back_off_then_succeed()
    {
        _server.InjectFault("sendMessage", new InjectedFault(502, "Bad Gateway"));
        _server.InjectFault("sendMessage", new InjectedFault(500, "Internal Server Error"));
        var sending = _sender.SendMarkdownAsync(new ReplyTarget(2), "after errors", default);
        for (var i = 0; i < 2; i++)
        {
            var delay = await _time.WaitForTimerAsync();
            Assert.True(delay > TimeSpan.Zero);
            _time.Advance(delay);
        }
        await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(_server.Messages(2));
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        _server.InjectFault("sendMessage", new InjectedFault(403, "Forbidden: bot was blocked by the user"));
        await Assert.ThrowsAsync<global::Telegram.Bot.Exceptions.ApiRequestException>(() => _sender.SendMarkdownAsync(new ReplyTarget(3), "x", default));
        Assert.Equal(1, _server.Calls("sendMessage"));
    }

    [Fact]
    public async Task Cant_parse_entities_resends_the_part_as_plain_text()
    {
        _server.InjectFault("sendMessage", new InjectedFault(400, "Bad Request: can't parse entities: Unsupported start tag \"foo\" at byte offset 0"));
        await _sender.SendMarkdownAsync(new ReplyTarget(4), "**bold** & <tag>", default);
        var message = Assert.Single(_server.Messages(4));
        Assert.Null(message.ParseMode);
        Assert.Equal("bold & <tag>", message.Text);
    }

    [Fact]
    public async Task A_migrated_group_is_followed_and_remembered()
    {
        _server.MigrateChat(-5, -1005);
        await _sender.SendMarkdownAsync(new ReplyTarget(-5), "first", default);
        await _sender.SendMarkdownAsync(new ReplyTarget(-5), "second", default);
        Assert.Equal(["first", "second"], _server.Messages(-1005).Select(m => m.Text));
        Assert.Equal(3, _server.Calls("sendMessage"));
        Assert.Equal("-1005", _store.Values["telegram:migrated:-5"]);
    }

    [Fact]
    public async Task Message_not_modified_counts_as_success()
    {
        var ids = await _sender.SendMarkdownAsync(new ReplyTarget(6), "same", default);
        await _sender.EditHtmlAsync(6, ids[0], "same", default);
        Assert.Equal(2, _server.Calls("sendMessage") + _server.Calls("editMessageText"));
    }

    [Fact]
    public async Task Long_replies_are_split_and_only_the_first_part_replies_to_the_user()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 30).Select(i => $"Part {i} " + new string('x', 300)));
        var ids = await _sender.SendMarkdownAsync(new ReplyTarget(7, ThreadId: 9, ReplyToMessageId: 100), text, default);
        var messages = _server.Messages(7);
        Assert.Equal(ids.Count, messages.Count);
        Assert.True(messages.Count >= 3);
        Assert.Equal(100, messages[0].ReplyToMessageId);
        Assert.All(messages.Skip(1), m => Assert.Null(m.ReplyToMessageId));
        Assert.All(messages, m => Assert.Equal(9, m.ThreadId));
    }
}
