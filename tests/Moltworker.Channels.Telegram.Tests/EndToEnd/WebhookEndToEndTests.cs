using System.Net;
using System.Text;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.EndToEnd;

/// <summary>Webhook mode: setWebhook with the secret at start; POST /telegram/webhook on the host over loopback.</summary>
public class WebhookEndToEndTests : IAsyncLifetime
{
    private const string Secret = "s3cret-Token_value";
    private TelegramBotApiServer _telegram = null!;
    private TelegramTestHost _host = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _telegram = await TelegramBotApiServer.StartAsync();
        _host = await TelegramTestHost.StartAsync(_telegram, new Dictionary<string, string?>
        {
            ["Moltworker:Telegram:Mode"] = "Webhook",
            ["Moltworker:Telegram:WebhookUrl"] = "https://bot.example.org/telegram/webhook",
            ["Moltworker:Telegram:WebhookSecret"] = Secret,
        });
        _url = _host.BaseAddress + "/telegram/webhook";
        await _telegram.WaitUntilAsync(s => s.WebhookUrl is not null);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public void SetWebhook_was_called_with_the_url_and_secret()
    {
        Assert.Equal("https://bot.example.org/telegram/webhook", _telegram.WebhookUrl);
        Assert.Equal(Secret, _telegram.WebhookSecret);
        Assert.Equal(0, _telegram.Calls("getUpdates"));
    }

    [Fact]
    public async Task A_valid_delivery_is_acknowledged_and_answered()
    {
        var status = await _telegram.DeliverWebhookAsync(_telegram.TextUpdate(701, 31, "/echo_text via webhook"), url: _url);
        Assert.Equal(HttpStatusCode.OK, status);
        await _telegram.WaitUntilAsync(s => s.Messages(701).Count == 1);
        Assert.Equal("echo: via webhook", _telegram.Messages(701)[0].Text);
    }

    [Fact]
    public async Task The_answer_comes_after_the_200()
    {
        var gate = EchoPlugin.Gate("webhook-" + Guid.NewGuid().ToString("N"));
        var name = EchoPlugin.Gates.First(g => g.Value == gate).Key;
        var status = await _telegram.DeliverWebhookAsync(_telegram.TextUpdate(702, 32, "/wait_gate " + name), url: _url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(_telegram.Messages(702));
        gate.SetResult();
        await _telegram.WaitUntilAsync(s => s.Messages(702).Count == 1);
    }

    [Theory]
    [InlineData("wrong-secret", false)]
    [InlineData(null, true)]
    [InlineData(Secret + "x", false)]
    public async Task A_wrong_or_missing_secret_is_401_and_nothing_is_processed(string? secret, bool omit)
    {
        var status = await _telegram.DeliverWebhookAsync(_telegram.TextUpdate(703, 33, "/echo_text intruder"), secret, omit, _url);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        // A valid update to the same chat afterwards is the only one answered.
        await _telegram.DeliverWebhookAsync(_telegram.TextUpdate(703, 33, "/echo_text legit"), url: _url);
        await _telegram.WaitUntilAsync(s => s.Messages(703).Count >= 1);
        Assert.Equal(["echo: legit"], _telegram.Messages(703).Select(m => m.Text));
    }

    [Fact]
    public async Task A_redelivered_update_is_answered_once()
    {
        var update = _telegram.TextUpdate(704, 34, "/echo_text once");
        update["update_id"] = 880_001L;
        Assert.Equal(HttpStatusCode.OK, await _telegram.DeliverWebhookAsync(update, url: _url));
        Assert.Equal(HttpStatusCode.OK, await _telegram.DeliverWebhookAsync((System.Text.Json.Nodes.JsonObject)update.DeepClone(), url: _url));
        await _telegram.DeliverWebhookAsync(_telegram.TextUpdate(704, 34, "/echo_text next"), url: _url);
        await _telegram.WaitUntilAsync(s => s.Messages(704).Count >= 2);
        Assert.Equal(["echo: once", "echo: next"], _telegram.Messages(704).Select(m => m.Text));
    }

    [Fact]
    public async Task Malformed_and_unknown_updates_are_acknowledged_without_a_crash()
    {
        using var http = new HttpClient();
        async Task<HttpStatusCode> Post(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await Post("{not json"));
        Assert.Equal(HttpStatusCode.OK, await Post("{\"update_id\":\"x\",\"message\":5}"));
        Assert.Equal(HttpStatusCode.OK, await Post("{\"update_id\":990001,\"poll\":{\"id\":\"1\"}}"));
        Assert.Equal(HttpStatusCode.OK, await _telegram.DeliverWebhookAsync(_telegram.TextUpdate(705, 35, "/echo_text fine"), url: _url));
        await _telegram.WaitUntilAsync(s => s.Messages(705).Count == 1);
    }
}
