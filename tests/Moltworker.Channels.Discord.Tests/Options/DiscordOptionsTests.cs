using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Channels.Discord.Options;
using Moltworker.Channels.Discord.Rest;

namespace Moltworker.Channels.Discord.Tests.Options;

public sealed class DiscordOptionsTests
{
    [Fact]
    public void Without_token_and_application_id_nothing_is_registered()
    {
        var services = new ServiceCollection();
        services.AddDiscordChannel(new ConfigurationBuilder().Build());
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(DiscordRestClient));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Theory]
    [InlineData("Http", "not-hex", false)]
    [InlineData("Http", "abcd", false)]
    [InlineData("Http", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("Gateway", null, true)]
    public void Public_key_is_required_for_the_http_transport(string transport, string? key, bool valid)
    {
        var o = new DiscordOptions { BotToken = "t", ApplicationId = "1", PublicKey = key, Transport = Enum.Parse<DiscordTransport>(transport) };
        Assert.Equal(valid, new DiscordOptionsValidator().Validate(null, o).Succeeded);
    }

    [Fact]
    public void An_unconfigured_channel_is_always_valid() =>
        Assert.True(new DiscordOptionsValidator().Validate(null, new DiscordOptions { ApiBase = "nonsense" }).Succeeded);
}
