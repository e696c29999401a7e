using Moltworker.Channels.Telegram.Polling;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.State;
using Moltworker.Testing.Telegram;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Telegram.Tests.EndToEnd;

/// <summary>Long polling through the kernel, SQLite inbox and command pipeline, over loopback HTTP (no model configured).</summary>
public class PollingEndToEndTests : IAsyncLifetime
{
    private TelegramBotApiServer _telegram = null!;

    public async Task InitializeAsync() => _telegram = await TelegramBotApiServer.StartAsync();

    public async Task DisposeAsync() => await _telegram.DisposeAsync();

    [Fact]
    public async Task Commands_work_without_a_model_and_are_registered()
    {
        await using var host = await TelegramTestHost.StartAsync(_telegram);
        await _telegram.WaitUntilAsync(s => s.Commands.Count > 0);
        Assert.Contains(_telegram.Commands, c => c.Command == "help");
        Assert.Contains(_telegram.Commands, c => c.Command == "echo_text");
        Assert.Contains(_telegram.Commands, c => c.Command == "wait_gate");

        _telegram.EnqueueText(501, 11, "/echo_text hello <world> & co");
        await _telegram.WaitUntilAsync(s => s.Messages(501).Count == 1);
        Assert.Contains("echo: hello <world> & co", _telegram.Messages(501)[0].Text);
        Assert.Equal("HTML", _telegram.Messages(501)[0].ParseMode);

        _telegram.EnqueueText(501, 11, "/help");
        await _telegram.WaitUntilAsync(s => s.Messages(501).Count == 2);
        Assert.Contains("echo_text", _telegram.Messages(501)[1].Text);
        Assert.NotEmpty(_telegram.ChatActions(501));
    }

    [Fact]
    public async Task Free_text_without_a_model_gets_the_how_to_configure_answer()
    {
        await using var host = await TelegramTestHost.StartAsync(_telegram);
        _telegram.EnqueueText(502, 12, "hello there");
        await _telegram.WaitUntilAsync(s => s.Messages(502).Count == 1);
        Assert.Contains("/help", _telegram.Messages(502)[0].Text);
    }

    [Fact]
    public async Task Offset_is_stored_after_acceptance_and_duplicates_are_answered_once()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "moltworker-telegram-tests", Guid.NewGuid().ToString("N"));
        long first;
        await using (var host = await TelegramTestHost.StartAsync(_telegram, dataDirectory: dataDirectory))
        {
            first = _telegram.EnqueueText(503, 13, "/echo_text one");
            await _telegram.WaitUntilAsync(s => s.Messages(503).Count == 1);
            var store = host.Services.GetService(typeof(IKeyValueStore)) as IKeyValueStore;
            Assert.Equal((first + 1).ToString(), await store!.GetAsync(TelegramPoller.OffsetKey(_telegram.BotId), default));
        }

        // As if the process died after accepting the update but before storing the offset: Telegram sends it again.
        var again = TelegramTestHost.Build(_telegram, dataDirectory: dataDirectory);
        await using (again)
        {
            var store = (IKeyValueStore)again.Services.GetService(typeof(IKeyValueStore))!;
            await store.SetAsync(TelegramPoller.OffsetKey(_telegram.BotId), first.ToString(), default);
            _telegram.Redeliver(first);
            await again.StartAsync();
            _telegram.EnqueueText(503, 13, "/echo_text two");
            await _telegram.WaitUntilAsync(s => s.Messages(503).Count >= 2);
            await _telegram.WaitUntilAsync(s => s.ConfirmedOffset > first + 1);
        }
        Assert.Equal(["echo: one", "echo: two"], _telegram.Messages(503).Select(m => m.Text));
    }

    [Fact]
    public async Task An_update_accepted_before_a_restart_is_answered_once_after_it()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "moltworker-telegram-tests", Guid.NewGuid().ToString("N"));
        var hold = _telegram.HoldSends(504);
        var settings = new Dictionary<string, string?> { ["Moltworker:Telegram:ShutdownGrace"] = "00:00:00.100" };
        await using (var host = await TelegramTestHost.StartAsync(_telegram, settings, dataDirectory))
        {
            var id = _telegram.EnqueueText(504, 14, "/echo_text survive");
            // Accepted (offset confirmed past it) and the reply is on its way when the host stops.
            await _telegram.WaitUntilAsync(s => s.Calls("sendMessage") >= 1 && s.ConfirmedOffset > id);
            await host.StopAsync();
            await _telegram.WaitUntilAsync(s => s.AbortedSends == 1);
        }
        Assert.Empty(_telegram.Messages(504));
        hold.SetResult();

        await using (var host = await TelegramTestHost.StartAsync(_telegram, dataDirectory: dataDirectory))
        {
            await _telegram.WaitUntilAsync(s => s.Messages(504).Count == 1);
            _telegram.EnqueueText(504, 14, "/echo_text after");
            await _telegram.WaitUntilAsync(s => s.Messages(504).Count == 2);
        }
        Assert.Equal(["echo: survive", "echo: after"], _telegram.Messages(504).Select(m => m.Text));
    }

    [Fact]
    public async Task Two_chats_run_concurrently_while_one_chat_stays_in_order()
    {
        await using var host = await TelegramTestHost.StartAsync(_telegram);
        var gate = EchoPlugin.Gate("order-" + Guid.NewGuid().ToString("N"));
        var gateName = EchoPlugin.Gates.First(g => g.Value == gate).Key;

        _telegram.EnqueueText(601, 21, "/wait_gate " + gateName);
        _telegram.EnqueueText(601, 21, "/echo_text second");
        _telegram.EnqueueText(601, 21, "/echo_text third");
        _telegram.EnqueueText(602, 22, "/echo_text other chat");

        // Chat 602 is answered while chat 601's first turn is still blocked.
        await _telegram.WaitUntilAsync(s => s.Messages(602).Count == 1);
        Assert.Empty(_telegram.Messages(601));

        gate.SetResult();
        await _telegram.WaitUntilAsync(s => s.Messages(601).Count == 3);
        Assert.Equal(["opened: " + gateName, "echo: second", "echo: third"], _telegram.Messages(601).Select(m => m.Text));
    }

    [Fact]
    public async Task Another_bots_offset_does_not_hide_this_bots_updates()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "moltworker-telegram-tests", Guid.NewGuid().ToString("N"));
        var earlier = TelegramTestHost.Build(_telegram, dataDirectory: dataDirectory);
        await using (earlier)
        {
            // The token was switched: the store holds a far offset of the bot it belonged to before (and of the
            // single key older versions used).
            var store = (IKeyValueStore)earlier.Services.GetService(typeof(IKeyValueStore))!;
            await store.SetAsync(TelegramPoller.OffsetKey(_telegram.BotId + 1), "999999999999", default);
            await store.SetAsync("telegram:offset", "999999999999", default);
        }
        await using var host = await TelegramTestHost.StartAsync(_telegram, dataDirectory: dataDirectory);
        _telegram.EnqueueText(506, 16, "/echo_text new bot");
        await _telegram.WaitUntilAsync(s => s.Messages(506).Count == 1);
        Assert.Equal("echo: new bot", _telegram.Messages(506)[0].Text);
    }

    [Fact]
    public async Task GetUpdates_failures_back_off_on_the_clock_and_polling_continues()
    {
        var time = new FakeTimeProvider();
        _telegram.InjectFault("getUpdates", new InjectedFault(502, "Bad Gateway"));
        _telegram.InjectFault("getUpdates", new InjectedFault(429, "Too Many Requests: retry after 7", RetryAfter: 7));
        await using var host = await TelegramTestHost.StartAsync(_telegram, configure: s => s.AddSingleton<TimeProvider>(time));

        var backoff = await time.WaitForTimerAsync(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(30));
        Assert.Equal(1, _telegram.Calls("getUpdates"));
        time.Advance(backoff);
        Assert.Equal(TimeSpan.FromSeconds(7), await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(7)));
        Assert.Equal(2, _telegram.Calls("getUpdates"));
        time.Advance(TimeSpan.FromSeconds(7));

        _telegram.EnqueueText(505, 15, "/echo_text still alive");
        await _telegram.WaitUntilAsync(s => s.Messages(505).Count == 1);
        Assert.True(_telegram.Calls("getUpdates") >= 3);
    }

    [Fact]
    public async Task The_bot_token_never_appears_in_logs()
    {
        await using var host = await TelegramTestHost.StartAsync(_telegram);
        _telegram.InjectFault("sendMessage", new InjectedFault(500, "Internal Server Error"));
        _telegram.EnqueueText(506, 16, "/echo_text secret check");
        await _telegram.WaitUntilAsync(s => s.Messages(506).Count == 1);
        Assert.NotEmpty(host.Logs.Lines);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(_telegram.Token, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(_telegram.Token.Split(':')[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_and_unknown_updates_are_skipped_and_polling_goes_on()
    {
        await using var host = await TelegramTestHost.StartAsync(_telegram);
        _telegram.EnqueueUpdate(new System.Text.Json.Nodes.JsonObject { ["message"] = "not an object" });
        _telegram.EnqueueUpdate(new System.Text.Json.Nodes.JsonObject { ["poll"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "p1" } });
        _telegram.EnqueueUpdate(new System.Text.Json.Nodes.JsonObject { ["edited_message"] = _telegram.TextUpdate(507, 17, "/echo_text edited")["message"]!.DeepClone() });
        var last = _telegram.EnqueueText(507, 17, "/echo_text fine");
        await _telegram.WaitUntilAsync(s => s.Messages(507).Count == 1 && s.ConfirmedOffset > last);
        Assert.Equal("echo: fine", _telegram.Messages(507)[0].Text);
        Assert.Contains(host.Logs.Lines, l => l.Contains("could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unchanged_command_list_is_not_registered_again_after_a_restart()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "moltworker-telegram-tests", Guid.NewGuid().ToString("N"));
        await using (var host = await TelegramTestHost.StartAsync(_telegram, dataDirectory: dataDirectory))
        {
            // The registrar stores the hash after setMyCommands returns: wait for that, not just for the call.
            var first = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Moltworker.Channels.Telegram.Commands.CommandRegistrar>().Single();
            await first.FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
        }
        var afterFirstStart = _telegram.Calls("setMyCommands");
        await using (var host = await TelegramTestHost.StartAsync(_telegram, dataDirectory: dataDirectory))
        {
            var registrar = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Moltworker.Channels.Telegram.Commands.CommandRegistrar>().Single();
            await registrar.FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
        }
        Assert.True(afterFirstStart >= 1);
        Assert.Equal(afterFirstStart, _telegram.Calls("setMyCommands"));
    }

    [Fact]
    public async Task A_wrong_token_is_reported_without_being_logged()
    {
        const string wrong = "4242:wrong-TOKEN-value-never-logged";
        await using var host = await TelegramTestHost.StartAsync(_telegram, new Dictionary<string, string?> { ["Moltworker:Telegram:BotToken"] = wrong });
        await host.Logs.WaitForAsync(l => l.Contains("rejected the bot token", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("wrong-TOKEN-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_reports_the_bot_and_the_offset()
    {
        await using var host = await TelegramTestHost.StartAsync(_telegram);
        var id = _telegram.EnqueueText(509, 19, "/echo_text health");
        await _telegram.WaitUntilAsync(s => s.Messages(509).Count == 1);
        var health = host.Services.GetServices<IHealthContributor>().Single(h => h.Name == "telegram");
        var entry = await health.CheckAsync(default);
        Assert.True(entry.Healthy);
        var json = System.Text.Json.JsonSerializer.Serialize(entry.Data);
        Assert.Contains($"\"offset\":{id + 1}", json);
        Assert.Contains(_telegram.BotUsername, json);
    }
}
