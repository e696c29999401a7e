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
}
