using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Hosting;
using Moltworker.Storage.Sqlite;
using Moltworker.Testing.Telegram;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Telegram.Tests.Fakes;

/// <summary>The gateway as the host composes it (kernel, SQLite, Telegram channel, a test plugin) on Kestrel
/// 127.0.0.1:0, talking to the in-test Bot API server. Reuse <see cref="DataDirectory"/> to "restart".</summary>
public sealed class TelegramTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TelegramTestHost(WebApplication app, string dataDirectory, CapturingLoggerProvider logs)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Logs = logs;
    }

    public string DataDirectory { get; }
    public CapturingLoggerProvider Logs { get; }
    public IServiceProvider Services => _app.Services;
    public string BaseAddress { get; private set; } = "";

    /// <param name="withFilters">Adds the host's filter set (durable tasks, journal, approvals), as the real host does.</param>
    public static TelegramTestHost Build(TelegramBotApiServer telegram, IDictionary<string, string?>? settings = null, string? dataDirectory = null,
        Action<IServiceCollection>? configure = null, bool withFilters = false)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "moltworker-telegram-tests", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        var config = new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = dataDirectory,
            ["Moltworker:Plugins:Directory"] = Path.Combine(dataDirectory, "plugins"),
            ["Moltworker:Telegram:BotToken"] = telegram.Token,
            ["Moltworker:Telegram:ApiRoot"] = telegram.ApiRoot,
            ["Moltworker:Telegram:PollTimeoutSeconds"] = "20",
        };
        foreach (var (k, v) in ManualClockSettings.NoBackgroundTimers) config[k] = v;   // tests wait for "the" timer
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        builder.Configuration.AddInMemoryCollection(config);
        configure?.Invoke(builder.Services);
        builder.Services.AddMoltworkerKernel(builder.Configuration);
        if (withFilters) builder.Services.AddMoltworkerFilters(builder.Configuration);
        builder.Services.AddSqliteStorage();
        builder.Services.AddPlugin<EchoPlugin>();
        builder.Services.AddTelegramChannel(builder.Configuration);
        var app = builder.Build();
        app.MapTelegramChannel();
        return new TelegramTestHost(app, dataDirectory, logs);
    }

    public static async Task<TelegramTestHost> StartAsync(TelegramBotApiServer telegram, IDictionary<string, string?>? settings = null, string? dataDirectory = null,
        Action<IServiceCollection>? configure = null, bool withFilters = false)
    {
        var host = Build(telegram, settings, dataDirectory, configure, withFilters);
        await host.StartAsync();
        return host;
    }

    public async Task StartAsync()
    {
        await _app.StartAsync();
        BaseAddress = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try { await _app.StopAsync(); } catch (ObjectDisposedException) { }
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
