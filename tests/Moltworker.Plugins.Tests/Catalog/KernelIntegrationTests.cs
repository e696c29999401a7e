using Moltworker.Abstractions;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;
using Moltworker.Plugins.BuiltIn;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Testing.Kernel;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Catalog;

/// <summary>The built-in plugins inside the real kernel: loaded by its PluginFactory from configuration,
/// run as /commands through its CommandRunner, and /briefing's batch through its KernelToolInvoker.</summary>
public sealed class KernelIntegrationTests : IClassFixture<UpstreamFixture>
{
    private static readonly ChatAddress Chat = new("test", "chat-1", "user-1");
    private readonly UpstreamServer _server;

    public KernelIntegrationTests(UpstreamFixture fixture)
    {
        _server = fixture.Server;
        _server.ClearFaults();
    }

    private TestKernel Kernel(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Moltworker:Plugins:Weather:GeocodingBaseUrl"] = _server.BaseUrl,
            ["Moltworker:Plugins:Weather:ForecastBaseUrl"] = _server.BaseUrl,
            ["Moltworker:Plugins:Crypto:BaseUrl"] = _server.BaseUrl,
            ["Moltworker:Plugins:News:HackerNewsBaseUrl"] = _server.BaseUrl,
            ["Moltworker:Plugins:News:DefaultCount"] = "2",
            ["Moltworker:Plugins:GitHub:BaseUrl"] = _server.BaseUrl,
            ["Moltworker:Plugins:Web:TestOnlyAllowLoopbackPort"] = _server.Port.ToString(),
            ["Moltworker:Plugins:WebSearch:Provider"] = "SearXNG",
            ["Moltworker:Plugins:WebSearch:BaseUrl"] = _server.BaseUrl,
        };
        foreach (var (k, v) in extra) settings[k] = v;
        return TestKernel.Create(plugins: BuiltInPlugins.Types, settings: settings, withFilters: true);
    }

    [Fact]
    public async Task Every_built_in_plugin_loads_with_its_tools_and_metadata()
    {
        await using var kernel = Kernel(("Moltworker:Plugins:GitHub:ApiNeedsApproval", "false"));
        var catalog = kernel.Get<PluginCatalog>();
        Assert.Empty(catalog.Snapshot.FailedPlugins);
        Assert.Equal(
            ["browse_url", "calculate", "fetch_url", "get_briefing", "get_crypto_price", "get_time", "get_top_news", "get_weather", "github_api", "github_list_files", "github_read_file", "web_search"],
            catalog.Snapshot.Tools.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Briefing", "Browse", "Calculator", "Crypto", "GitHub", "News", "Time", "Weather", "Web", "WebSearch"], catalog.Snapshot.Plugins.Select(p => p.Name).Order(StringComparer.Ordinal));

        ToolMetadata Meta(string tool) => ToolMetadata.Of(catalog.Find(tool)!);
        foreach (var read in new[] { "fetch_url", "get_weather", "get_crypto_price", "get_top_news", "github_read_file", "github_list_files", "get_time", "calculate", "web_search", "browse_url" })
            Assert.True(Meta(read).ParallelSafe && !Meta(read).SideEffects, read);
        Assert.True(Meta("github_api").SideEffects);
        Assert.False(Meta("github_api").ParallelSafe);
        Assert.False(Meta("github_api").Idempotent);
        Assert.False(Meta("github_api").NeedsApproval); // from the option, through IToolMetadataOverrides
        Assert.Equal("time", Meta("get_time").Command);
        Assert.NotNull(Meta("get_time").Suggestions);
        Assert.Equal("briefing", Meta("get_briefing").Command);
        Assert.Equal("search", Meta("web_search").Command);
        Assert.DoesNotContain("context", catalog.Find("github_api")!.JsonSchema.GetRawText());
        Assert.DoesNotContain("cancellationToken", catalog.Find("fetch_url")!.JsonSchema.GetRawText());
        Assert.Contains(kernel.Get<ICommandCatalog>().Commands, c => c.Name == "briefing");
    }

    [Fact]
    public async Task Search_command_runs_without_a_model_and_takes_the_whole_line_as_query()
    {
        await using var kernel = Kernel();
        var reply = await kernel.Get<ICommandRunner>().RunTextAsync("search", "rust async runtimes", Chat, CancellationToken.None);
        Assert.False(reply.IsError, reply.Text);
        Assert.StartsWith("Web results for \"rust async runtimes\" (SearXNG):\n[1] SearX result 1: rust async runtimes", reply.Text);
        Assert.Contains("[5] ", reply.Text);
        Assert.DoesNotContain("[6] ", reply.Text);
    }

    [Fact]
    public async Task Github_api_needs_approval_by_default()
    {
        await using var kernel = Kernel();
        Assert.True(ToolMetadata.Of(kernel.Get<PluginCatalog>().Find("github_api")!).NeedsApproval);
    }

    [Fact]
    public async Task Time_and_calc_commands_run_without_a_model()
    {
        await using var kernel = Kernel();
        var runner = kernel.Get<ICommandRunner>();
        var time = await runner.RunTextAsync("time", "Europe/Berlin", Chat, CancellationToken.None);
        Assert.False(time.IsError, time.Text);
        Assert.Contains("in Europe/Berlin (UTC+01:00", time.Text);
        var calc = await runner.RunTextAsync("calc", "(1 + 2) * 3", Chat, CancellationToken.None);
        Assert.Contains("= 9", calc.Text);
        var bad = await runner.RunTextAsync("calc", "1 / 0", Chat, CancellationToken.None);
        Assert.True(bad.IsError);
        Assert.Contains("division by zero", bad.Text);
    }

    [Fact]
    public async Task Briefing_command_runs_its_three_sources_as_one_parallel_batch()
    {
        // Without the tool-result cache: the warm-up's news and prices would be served from it, and only the weather would
        // reach its upstream.
        await using var kernel = Kernel(("Moltworker:Tools:Cache:Enabled", "false"));
        var runner = kernel.Get<ICommandRunner>();
        await runner.RunTextAsync("briefing", "", Chat, CancellationToken.None); // warm up
        // Each source's request is held until all three have arrived: run one after another, none would be answered.
        var meeting = new UpstreamRendezvous(3);
        foreach (var path in new[] { "/v1/forecast", "/v0/topstories.json", "/api/v3/simple/price" })
            _server.SetFault(path, UpstreamFault.Rendezvous(meeting));
        var reply = await runner.RunTextAsync("briefing", "Tokyo", Chat, CancellationToken.None);
        Assert.False(reply.IsError, reply.Text);
        Assert.Contains("Tokyo, Japan: 6.3 °C", reply.Text);
        Assert.Contains("1. Story number 1", reply.Text);
        Assert.Contains("bitcoin: 67,012.50 USD", reply.Text);
        Assert.Equal(3, meeting.Arrived);
    }

    [Fact]
    public async Task Briefing_with_one_source_down_still_answers_and_names_it()
    {
        await using var kernel = Kernel();
        _server.SetFault("/v0/topstories.json", UpstreamFault.TooManyRequests(30));
        var reply = await kernel.Get<ICommandRunner>().RunTextAsync("briefing", "", Chat, CancellationToken.None);
        Assert.False(reply.IsError, reply.Text);
        Assert.Contains("Berlin, Germany: 6.3 °C", reply.Text);
        Assert.Contains("bitcoin: 67,012.50 USD", reply.Text);
        Assert.Contains("**News**\n_unavailable: Hacker News rate limit reached (HTTP 429); try again in 30 s", reply.Text);
    }

    [Fact]
    public async Task Fetch_url_through_the_kernel_refuses_private_targets_as_a_readable_error()
    {
        await using var kernel = Kernel();
        var outcomes = await kernel.Get<IToolInvoker>().InvokeBatchAsync(
            [new ToolRequest("fetch_url", new Dictionary<string, object?> { ["url"] = "http://169.254.169.254/latest/meta-data/" }),
             new ToolRequest("fetch_url", new Dictionary<string, object?> { ["url"] = $"{_server.BaseUrl}/web/text.txt" })],
            new ToolContext { TaskId = "t-1", CallId = "c-1" }, CancellationToken.None);
        Assert.True(outcomes[0].IsError);
        Assert.Contains("refused to fetch 169.254.169.254: it resolves to a cloud metadata address", outcomes[0].Content);
        Assert.False(outcomes[1].IsError, outcomes[1].Content);
        Assert.Contains("just plain text", outcomes[1].Content);
    }
}
