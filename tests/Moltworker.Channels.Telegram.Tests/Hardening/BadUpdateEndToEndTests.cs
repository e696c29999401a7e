using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Polling;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Kernel.Inbox;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.Hardening;

/// <summary>Issue 12, item 1: one malformed update must not stop the bot, in polling or webhook mode.</summary>
public class BadUpdateEndToEndTests : IAsyncLifetime
{
    private TelegramBotApiServer _telegram = null!;

    public async Task InitializeAsync() => _telegram = await TelegramBotApiServer.StartAsync();

    public async Task DisposeAsync() => await _telegram.DisposeAsync();

    public static TheoryData<string> Repros => ["bad-mention", "overflowing-mention", "null-chat", "unreadable", "date-out-of-range"];

    private JsonObject Repro(string name, long chatId) => name switch
    {
        "bad-mention" => BadUpdates.BadMention(_telegram, chatId, 71),
        "overflowing-mention" => BadUpdates.OverflowingMention(_telegram, chatId, 71),
        "unreadable" => BadUpdates.Unreadable(_telegram, chatId, 71),
        "date-out-of-range" => BadUpdates.DateOutOfRange(_telegram, chatId, 71),
        _ => BadUpdates.NullChat(_telegram, chatId, 71),
    };

    [Theory]
    [MemberData(nameof(Repros))]
    public async Task Polling_passes_the_bad_update_and_answers_the_good_one_from_the_same_poll(string repro)
    {
        await using var host = await TelegramTestHost.StartAsync(_telegram);
        var poller = host.Services.GetRequiredService<TelegramPoller>();

        // Both in one getUpdates answer: the bad one first.
        var bad = _telegram.EnqueueUpdate(Repro(repro, -7101));
        var good = _telegram.EnqueueText(7102, 71, "/echo_text still here");

        await _telegram.WaitUntilAsync(s => s.Messages(7102).Count == 1);
        Assert.Equal("echo: still here", _telegram.Messages(7102)[0].Text);
        await _telegram.WaitUntilAsync(s => s.ConfirmedOffset > good);
        Assert.True(good > bad);
        Assert.Equal(0, poller.ConsecutiveFailures);
        Assert.Equal(1, host.Services.GetRequiredService<RejectedIntake>().Count(TelegramIntake.Source));
        Assert.Single(host.Logs.Lines, l => l.Contains($"Telegram update {bad} could not be read or routed", StringComparison.Ordinal));
        Assert.Empty(_telegram.Messages(-7101));
    }

    [Theory]
    [MemberData(nameof(Repros))]
    public async Task Webhook_answers_200_to_the_bad_update_and_answers_the_next(string repro)
    {
        const string secret = "hardening-secret";
        await using var host = await TelegramTestHost.StartAsync(_telegram, new Dictionary<string, string?>
        {
            ["Moltworker:Telegram:Mode"] = "Webhook",
            ["Moltworker:Telegram:WebhookUrl"] = "https://bot.example.org/telegram/webhook",
            ["Moltworker:Telegram:WebhookSecret"] = secret,
        });
        var url = host.BaseAddress + "/telegram/webhook";
        var bad = Repro(repro, -7201);
        bad["update_id"] = 7201;
        Assert.Equal(HttpStatusCode.OK, await _telegram.DeliverWebhookAsync(bad, secret, url: url));

        var good = _telegram.TextUpdate(7202, 72, "/echo_text next");
        good["update_id"] = 7202;
        Assert.Equal(HttpStatusCode.OK, await _telegram.DeliverWebhookAsync(good, secret, url: url));
        await _telegram.WaitUntilAsync(s => s.Messages(7202).Count == 1);
        Assert.Equal(1, host.Services.GetRequiredService<RejectedIntake>().Count(TelegramIntake.Source));
    }
}
