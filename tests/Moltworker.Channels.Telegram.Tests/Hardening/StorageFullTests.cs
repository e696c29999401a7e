using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Kernel.Inbox;
using Moltworker.Storage.Sqlite.Stores;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.Hardening;

/// <summary>Issue 12, item 3: while the database cannot store, the channel stops taking new work instead of dropping it,
/// and takes it once the database stores again.</summary>
public sealed class StorageFullTests : IAsyncLifetime
{
    private TelegramBotApiServer _telegram = null!;

    public async Task InitializeAsync() => _telegram = await TelegramBotApiServer.StartAsync();

    public async Task DisposeAsync() => await _telegram.DisposeAsync();

    private static void Switchable(IServiceCollection services) =>
        services.AddSingleton<IInboxStore>(sp => new SwitchableInboxStore(ActivatorUtilities.CreateInstance<SqliteInboxStore>(sp)));

    [Fact]
    public async Task Polling_holds_the_offset_while_the_store_is_full_and_answers_once_it_is_not()
    {
        await using var host = await TelegramTestHost.StartAsync(_telegram, configure: Switchable);
        var store = (SwitchableInboxStore)host.Services.GetRequiredService<IInboxStore>();
        store.Full = true;
        var id = _telegram.EnqueueText(7301, 73, "/echo_text kept");

        await store.RefusedTwice.WaitAsync(TimeSpan.FromSeconds(60)); // the poller retried the same update after its backoff
        Assert.True(_telegram.ConfirmedOffset <= id, "the update was confirmed (dropped) while it could not be stored");
        Assert.Empty(_telegram.Messages(7301));

        store.Full = false;
        await _telegram.WaitUntilAsync(s => s.Messages(7301).Count == 1, TimeSpan.FromSeconds(60));
        Assert.Equal("echo: kept", _telegram.Messages(7301)[0].Text);
    }

    [Fact]
    public async Task The_webhook_answers_503_with_retry_after_while_the_store_is_full()
    {
        const string secret = "hardening-secret";
        await using var host = await TelegramTestHost.StartAsync(_telegram, new Dictionary<string, string?>
        {
            ["Moltworker:Telegram:Mode"] = "Webhook",
            ["Moltworker:Telegram:WebhookUrl"] = "https://bot.example.org/telegram/webhook",
            ["Moltworker:Telegram:WebhookSecret"] = secret,
        }, configure: Switchable);
        var store = (SwitchableInboxStore)host.Services.GetRequiredService<IInboxStore>();
        var url = host.BaseAddress + "/telegram/webhook";
        var update = _telegram.TextUpdate(7302, 73, "/echo_text redelivered");
        update["update_id"] = 7302;

        store.Full = true;
        using (var http = new HttpClient())
        using (var response = await http.PostAsync(url, new StringContent(update.ToJsonString(), System.Text.Encoding.UTF8, "application/json")
               { Headers = { { "X-Telegram-Bot-Api-Secret-Token", secret } } }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }

        store.Full = false; // Telegram delivers the same update again
        Assert.Equal(HttpStatusCode.OK, await _telegram.DeliverWebhookAsync(update, secret, url: url));
        await _telegram.WaitUntilAsync(s => s.Messages(7302).Count == 1);
        Assert.Equal("echo: redelivered", _telegram.Messages(7302)[0].Text);
    }
}
