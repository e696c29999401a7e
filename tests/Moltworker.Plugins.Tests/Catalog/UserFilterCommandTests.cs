using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters;
using Moltworker.Plugins.BuiltIn;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Testing.Kernel;
using Moltworker.Testing.SemanticKernel;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Catalog;

/// <summary>A user's SK <see cref="IFunctionInvocationFilter"/> registered in DI runs around chat /commands and around the
/// calls a command makes through the kernel (/briefing's three sources).</summary>
public sealed class UserFilterCommandTests : IClassFixture<UpstreamFixture>
{
    private static readonly ChatAddress Chat = new("test", "chat-1", "user-1");
    private readonly UpstreamServer _server;

    public UserFilterCommandTests(UpstreamFixture fixture)
    {
        _server = fixture.Server;
        _server.ClearFaults();
    }

    [Fact]
    public async Task A_user_filter_sees_a_command_and_the_inner_calls_of_briefing()
    {
        var filter = new RecordingFunctionFilter();
        await using var kernel = TestKernel.Create(plugins: BuiltInPlugins.Types, withFilters: true, settings: new Dictionary<string, string?>
        {
            ["Moltworker:Plugins:Weather:GeocodingBaseUrl"] = _server.BaseUrl,
            ["Moltworker:Plugins:Weather:ForecastBaseUrl"] = _server.BaseUrl,
            ["Moltworker:Plugins:Crypto:BaseUrl"] = _server.BaseUrl,
            ["Moltworker:Plugins:News:HackerNewsBaseUrl"] = _server.BaseUrl,
        }, configure: s => s.AddSingleton<IFunctionInvocationFilter>(filter));
        var runner = kernel.Get<ICommandRunner>();

        var calc = await runner.RunTextAsync("calc", "(1 + 2) * 3", Chat, CancellationToken.None);
        Assert.Contains("= 9", calc.Text);
        Assert.Equal(["calculate"], filter.Names);

        var briefing = await runner.RunTextAsync("briefing", "Tokyo", Chat, CancellationToken.None);
        Assert.False(briefing.IsError, briefing.Text);
        var names = filter.Names.Skip(1).ToList();
        Assert.Equal("get_briefing", names[0]);
        Assert.Equal(["get_crypto_price", "get_top_news", "get_weather"], names.Skip(1).Order(StringComparer.Ordinal));
    }
}
