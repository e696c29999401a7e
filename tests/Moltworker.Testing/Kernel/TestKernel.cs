using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Kernel.Hosting;
using Moltworker.Testing.Time;

namespace Moltworker.Testing.Kernel;

/// <summary>
/// A kernel with real SQLite storage in a temporary folder, for tests below the HTTP level.
/// Pass a chat client to stand in for the model (unit tests only; end-to-end tests use the in-test server).
/// </summary>
public sealed class TestKernel : IAsyncDisposable
{
    private readonly IHost _host;

    private TestKernel(IHost host, string dataDirectory)
    {
        _host = host;
        DataDirectory = dataDirectory;
    }

    public IServiceProvider Services => _host.Services;
    public string DataDirectory { get; }

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static TestKernel Create(
        IChatClient? model = null,
        IEnumerable<Type>? plugins = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        string? dataDirectory = null,
        bool withFilters = false)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "moltworker-tests", Guid.NewGuid().ToString("N"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        var config = new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = dataDirectory,
            ["Moltworker:Plugins:Directory"] = Path.Combine(dataDirectory, "plugins"),
        };
        if (model is not null)
        {
            config["Moltworker:Llm:BaseUrl"] = "http://127.0.0.1:9/v1";
            config["Moltworker:Llm:Model"] = "test-model";
        }
        foreach (var (k, v) in ManualClockSettings.NoBackgroundTimers) config[k] = v;   // tests wait for "the" timer
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        builder.Configuration.AddInMemoryCollection(config);
        if (model is not null) builder.Services.AddSingleton(model);
        configure?.Invoke(builder.Services);
        builder.Services.AddMoltworkerKernel(builder.Configuration);
        // The host's own filter set (gating, timeouts, retries, budgets, journal); off by default so unit tests see the bare loop.
        if (withFilters) builder.Services.AddMoltworkerFilters(builder.Configuration);
        Moltworker.Storage.Sqlite.SqliteServiceCollectionExtensions.AddSqliteStorage(builder.Services);
        foreach (var type in plugins ?? []) builder.Services.AddPlugin(type);
        return new TestKernel(builder.Build(), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable d) await d.DisposeAsync(); else _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
