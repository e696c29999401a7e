using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Replies;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.Telegram;
using Moltworker.Testing.Time;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Channels.Telegram.Tests.Replies;

public class StreamingReplyTests : IAsyncLifetime
{
    private TelegramBotApiServer _server = null!;
    private readonly FakeTimeProvider _time = new();
    private ReplySender _sender = null!;

    public async Task InitializeAsync()
    {
        _server = await TelegramBotApiServer.StartAsync();
        var options = MsOptions.Create(new TelegramOptions { BotToken = _server.Token, ApiRoot = _server.ApiRoot });
        _sender = new ReplySender(TestClients.Client(_server), new TelegramResilience(options, _time), new ChatMigrations(new MemoryKeyValueStore()), options, NullLogger<ReplySender>.Instance);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Edits_are_bounded_by_the_interval_and_the_final_text_replaces_the_stream()
    {
        var stream = new StreamingReply(_sender, new ReplyTarget(31), _time, TimeSpan.FromSeconds(1), 4096);
        for (var i = 0; i < 20; i++) await stream.OnDeltaAsync($"word{i} ");
        Assert.Single(_server.Messages(31));
        Assert.Equal(0, _server.Calls("editMessageText"));

        _time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 20; i < 40; i++) await stream.OnDeltaAsync($"word{i} ");
        Assert.Equal(1, _server.Calls("editMessageText"));

        Assert.True(await stream.FinishAsync("**final** answer", default));
        var message = Assert.Single(_server.Messages(31));
        Assert.Equal("final answer", message.Text);
        Assert.Equal("<b>final</b> answer", message.RawText);
    }

    [Fact]
    public async Task Streaming_stops_when_the_text_outgrows_one_message_and_the_rest_follows()
    {
        var options = MsOptions.Create(new TelegramOptions { BotToken = _server.Token, ApiRoot = _server.ApiRoot, MaxMessageLength = 200 });
        var sender = new ReplySender(TestClients.Client(_server), new TelegramResilience(options, _time), new ChatMigrations(new MemoryKeyValueStore()), options, NullLogger<ReplySender>.Instance);
        var stream = new StreamingReply(sender, new ReplyTarget(32), _time, TimeSpan.Zero, 200);
        await stream.OnDeltaAsync("start ");
        for (var i = 0; i < 50; i++) await stream.OnDeltaAsync("more words ");
        var editsWhileGrowing = _server.Calls("editMessageText");
        var final = "start " + string.Concat(Enumerable.Repeat("more words ", 50));
        Assert.True(await stream.FinishAsync(final, default));
        var messages = _server.Messages(32);
        Assert.True(messages.Count >= 2);
        Assert.True(editsWhileGrowing < 50);
        Assert.Equal(final.Replace(" ", ""), string.Concat(messages.Select(m => m.Text)).Replace(" ", ""));
    }

    [Fact]
    public async Task Nothing_streamed_means_the_caller_sends_normally()
    {
        var stream = new StreamingReply(_sender, new ReplyTarget(33), _time, TimeSpan.FromSeconds(1), 4096);
        Assert.False(await stream.FinishAsync("text", default));
        Assert.Empty(_server.Messages(33));
    }
}
