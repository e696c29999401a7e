using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Kernel.Inbox;

namespace Moltworker.Channels.Telegram.Tests;

public class ServiceRegistrationTests
{
    [Fact]
    public void Without_a_token_nothing_active_is_registered_and_mapping_is_harmless()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddTelegramChannel(builder.Configuration);
        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(IInboxHandler));
        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(IHostedService));
        var app = builder.Build();
        app.MapTelegramChannel();
        Assert.Empty(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints));
    }

    [Fact]
    public void Webhook_mode_without_a_secret_fails_at_start()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:Telegram:BotToken"] = "1:x",
            ["Moltworker:Telegram:Mode"] = "Webhook",
            ["Moltworker:Telegram:WebhookUrl"] = "https://example.org/telegram/webhook",
        }).Build();
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new ServiceCollection().AddTelegramChannel(config));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("ümlaut")]
    public void Webhook_secrets_outside_telegrams_alphabet_fail_at_start(string secret)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:Telegram:BotToken"] = "1:x",
            ["Moltworker:Telegram:Mode"] = "Webhook",
            ["Moltworker:Telegram:WebhookUrl"] = "https://example.org/telegram/webhook",
            ["Moltworker:Telegram:WebhookSecret"] = secret,
        }).Build();
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new ServiceCollection().AddTelegramChannel(config));
    }

    private static IConfiguration Settings(string token, string apiRoot = "https://api.telegram.org") =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:Telegram:BotToken"] = token,
            ["Moltworker:Telegram:ApiRoot"] = apiRoot,
        }).Build();

    /// <summary>Telegram.Bot needs <c>digits:secret</c> (the digits are the bot id). Anything else is a configuration
    /// error at registration (the host reports OptionsValidationException as "Invalid configuration", exit code 78),
    /// and the message never repeats the token.</summary>
    [Theory]
    [InlineData("not-a-token")]
    [InlineData("bot:AAH-letters-before-the-colon")]
    [InlineData(":AAH-no-id-at-all")]
    [InlineData("12345678901234567:AAH-id-too-long")]
    public void A_bot_token_that_is_not_digits_colon_secret_is_refused_at_start(string token)
    {
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new ServiceCollection().AddTelegramChannel(Settings(token)));
        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith("Moltworker:Telegram:BotToken is not a bot token", failure);
        Assert.DoesNotContain(token, ex.Message);
    }

    [Theory]
    [InlineData("api.telegram.org")]
    [InlineData("ftp://127.0.0.1:8081")]
    [InlineData("https://proxy.example.org/telegram")]
    public void An_api_root_telegram_bot_cannot_use_is_refused_at_start(string apiRoot)
    {
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new ServiceCollection().AddTelegramChannel(Settings("123:abc", apiRoot)));
        Assert.StartsWith("Moltworker:Telegram:ApiRoot must be", Assert.Single(ex.Failures));
    }

    [Fact]
    public void A_valid_token_and_a_self_hosted_api_root_register_the_channel()
    {
        var services = new ServiceCollection().AddTelegramChannel(Settings("123456:AAH-valid_token", "http://127.0.0.1:8081/"));
        Assert.Contains(services, d => d.ServiceType == typeof(global::Telegram.Bot.ITelegramBotClient));
    }
}
