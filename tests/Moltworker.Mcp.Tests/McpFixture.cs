using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moltworker.Abstractions;
using Moltworker.Kernel.Plugins;
using Moltworker.Mcp.Hosting;
using Moltworker.Testing.Kernel;

namespace Moltworker.Mcp.Tests;

/// <summary>A kernel with MCP servers configured: the test server (started over stdio) and whatever else a test adds.</summary>
public sealed class McpFixture : IAsyncDisposable
{
    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "Moltworker.McpTestServer.dll");

    private McpFixture(TestKernel kernel, CapturedLog log)
    {
        Kernel = kernel;
        Log = log;
    }

    /// <summary>Everything logged, at every level.</summary>
    public CapturedLog Log { get; }

    public TestKernel Kernel { get; }
    public McpPluginSource Source => Kernel.Get<McpPluginSource>();
    public PluginCatalog Catalog => Kernel.Get<PluginCatalog>();

    /// <summary>Settings for a server named <paramref name="name"/> that runs the test server.</summary>
    public static Dictionary<string, string?> TestServer(string name, params string[] extraArguments)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Moltworker:Mcp:Servers:{name}:Command"] = "dotnet",
            [$"Moltworker:Mcp:Servers:{name}:Arguments:0"] = ServerDll,
        };
        for (var i = 0; i < extraArguments.Length; i++) settings[$"Moltworker:Mcp:Servers:{name}:Arguments:{i + 1}"] = extraArguments[i];
        return settings;
    }

    /// <summary>Builds the kernel, starts the MCP connections and waits until every server's first attempt ended
    /// (unless <paramref name="start"/> is false: then nothing is started, as in a CLI verb without a running host).</summary>
    public static async Task<McpFixture> StartAsync(IDictionary<string, string?> settings, IEnumerable<Type>? plugins = null, TimeProvider? time = null,
        bool start = true, bool withFilters = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var log = new CapturedLog();
        var kernel = TestKernel.Create(plugins: plugins, settings: settings, withFilters: withFilters, configure: services =>
        {
            services.AddLogging(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
            if (time is not null) services.AddSingleton(time);
            services.AddMcpServers(configuration);
        });
        var fixture = new McpFixture(kernel, log);
        if (!start) return fixture;
        fixture.Source.Start();
        await fixture.Source.FirstAttempts.WaitAsync(TimeSpan.FromSeconds(60));
        return fixture;
    }

    public async Task<ToolOutcome> CallAsync(string tool, params (string Name, object? Value)[] arguments)
    {
        var invoker = Kernel.Get<IToolInvoker>();
        var request = new ToolRequest(tool, arguments.ToDictionary(a => a.Name, a => a.Value));
        var outcomes = await invoker.InvokeBatchAsync([request], new ToolContext(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        return outcomes.Single();
    }

    /// <summary>A task that completes on the source's next <c>Changed</c>, subscribed now.</summary>
    public Task NextChange()
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler() { changed.TrySetResult(); Source.Changed -= Handler; }
        Source.Changed += Handler;
        return changed.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Completes once <paramref name="condition"/> holds on the catalog, checked now and after every change.</summary>
    public async Task UntilAsync(Func<ToolSnapshot, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var next = NextChange();
            if (condition(Catalog.Snapshot)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the catalog never reached the expected state");
            await next;
        }
    }

    public ValueTask DisposeAsync() => Kernel.DisposeAsync();
}
