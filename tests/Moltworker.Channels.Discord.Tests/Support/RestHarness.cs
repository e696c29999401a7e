using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Options;
using Moltworker.Channels.Discord.Rest;
using Moltworker.Testing.Discord;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Discord.Tests.Support;

/// <summary>A REST client pointed at a fresh in-test Discord, on a manual clock.</summary>
public sealed class RestHarness : IAsyncDisposable
{
    public const string BotToken = "test-bot-token-SECRET";
    public const string ApplicationId = "4242";

    private RestHarness(FakeDiscordServer server, DiscordOptions options)
    {
        Server = server;
        Options = options;
        Limiter = new DiscordRateLimiter(Time, NullLogger<DiscordRateLimiter>.Instance);
        Client = new DiscordRestClient(new HttpClient(), Limiter, Microsoft.Extensions.Options.Options.Create(options));
    }

    public FakeDiscordServer Server { get; }
    public DiscordOptions Options { get; }
    public FakeTimeProvider Time { get; } = new();
    public DiscordRateLimiter Limiter { get; }
    public DiscordRestClient Client { get; }

    public static async Task<RestHarness> StartAsync()
    {
        var server = await FakeDiscordServer.StartAsync();
        return new RestHarness(server, TestOptions(server));
    }

    public static DiscordOptions TestOptions(FakeDiscordServer server) => new()
    {
        ApiBase = server.ApiBase,
        GatewayUrl = server.GatewayUrl,
        BotToken = BotToken,
        ApplicationId = ApplicationId,
    };

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
