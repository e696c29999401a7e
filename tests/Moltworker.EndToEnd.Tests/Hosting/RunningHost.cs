using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;

namespace Moltworker.EndToEnd.Tests.Hosting;

/// <summary>
/// The real web host (<see cref="WebHostFactory.Build"/>) on 127.0.0.1 with a free port, a temporary data folder and
/// a temporary plugins folder, reached over HTTP like any client would.
/// </summary>
public sealed class RunningHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempFolder _folder;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningHost(WebApplication app, TempFolder folder, string pluginsDir, HostErrorLog errors)
    {
        _app = app;
        Errors = errors;
        _folder = folder;
        PluginsDir = pluginsDir;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        app.Services.GetRequiredService<PluginCatalog>().Changed += () =>
        {
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        };
    }

    /// <summary>Settings that clear the model configuration (the host runs without a model).</summary>
    public static readonly string[] NoModel = ["--Moltworker:Llm:BaseUrl=", "--Moltworker:Llm:Model=", "--Moltworker:Llm:ApiKey="];

    public HttpClient Http { get; }
    public string PluginsDir { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>What the host logged at level Error and up.</summary>
    public HostErrorLog Errors { get; }

    /// <summary>GETs <paramref name="path"/> as JSON; on a status other than 2xx fails with the body and the host's errors.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            Xunit.Assert.Fail($"GET {path}: {(int)response.StatusCode} {body}\nThe host's errors:\n{string.Join("\n", Errors.Entries)}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <param name="prepare">Runs before the host starts, with the plugins folder (to drop plugins in beforehand).</param>
    /// <param name="configure">Adds to the host's services before it is built.</param>
    public static async Task<RunningHost> StartAsync(IEnumerable<string>? settings = null, Action<string>? prepare = null, TempFolder? folder = null,
        Action<IServiceCollection>? configure = null)
    {
        folder ??= new TempFolder();
        var plugins = folder.Sub("plugins");
        prepare?.Invoke(plugins);
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Moltworker:DataDirectory={folder.Sub("data")}",
            $"--Moltworker:Plugins:Directory={plugins}",
            "--Moltworker:Plugins:ReloadDelay=00:00:00.100",
            "--Logging:LogLevel:Default=Warning",
            .. settings ?? [],
        ];
        var errors = new HostErrorLog();
        var app = WebHostFactory.Build(args, builder =>
        {
            builder.Logging.AddProvider(errors);
            configure?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new RunningHost(app, folder, plugins, errors);
    }

    public async Task<(int Status, JsonElement Body)> HealthAsync()
    {
        using var response = await Http.GetAsync("/healthz");
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public async Task<ChatAnswer> ChatAsync(string text, string chatId = "e2e")
    {
        using var response = await Http.PostAsJsonAsync("/api/chat", new { chatId, text });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new ChatAnswer(body.GetProperty("text").GetString() ?? "", body.GetProperty("isError").GetBoolean());
    }

    /// <summary>The version /healthz reports for a loaded plugin, or null when it is not loaded.</summary>
    public async Task<string?> PluginVersionAsync(string name)
    {
        return (await PluginsEntryAsync()).GetProperty("loaded").EnumerateArray()
            .Where(p => p.GetProperty("name").GetString() == name)
            .Select(p => p.GetProperty("version").GetString()).FirstOrDefault();
    }

    /// <summary>Names of loaded and of failed drop-in plugins (built-in ones left out), as /healthz reports them.</summary>
    public async Task<(IReadOnlyList<string> Loaded, IReadOnlyDictionary<string, string> Failed)> PluginsAsync()
    {
        var plugins = await PluginsEntryAsync();
        static bool DropIn(JsonElement p) => p.GetProperty("origin").GetString()!.StartsWith("drop-in:", StringComparison.Ordinal);
        var loaded = plugins.GetProperty("loaded").EnumerateArray().Where(DropIn).Select(p => p.GetProperty("name").GetString()!).ToList();
        var failed = plugins.GetProperty("failed").EnumerateArray().Where(DropIn)
            .ToDictionary(p => $"{p.GetProperty("name").GetString()} ({p.GetProperty("origin").GetString()})", p => p.GetProperty("error").GetString() ?? "");
        return (loaded, failed);
    }

    /// <summary>/healthz's "plugins" entry once the catalog's first load is done: the load is held until the host's first
    /// answer, and the entry says <c>{"loading":true}</c> until then.</summary>
    private async Task<JsonElement> PluginsEntryAsync()
    {
        var (_, body) = await HealthAsync();
        if (!body.GetProperty("plugins").TryGetProperty("loading", out _)) return body.GetProperty("plugins");
        await Services.GetRequiredService<PluginWarmup>().Completion.WaitAsync(TimeSpan.FromSeconds(30));
        (_, body) = await HealthAsync();
        return body.GetProperty("plugins");
    }

    /// <summary>
    /// Re-checks <paramref name="condition"/> each time the plugin catalog changes (and every 250 ms, for changes that do not
    /// go through the catalog) until it holds; fails after <paramref name="timeoutSeconds"/>.
    /// </summary>
    public async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var signal = Volatile.Read(ref _changed).Task;
            var value = await probe();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeoutSeconds} s waiting for {what}; last value: {Describe(value)}");
            await Task.WhenAny(signal, Task.Delay(250));
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        ChatAnswer a => $"{(a.IsError ? "error: " : "")}{a.Text}",
        System.Collections.IEnumerable e and not string => string.Join(", ", e.Cast<object>()),
        _ => value?.ToString() ?? "null",
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Dispose();
    }
}

public sealed record ChatAnswer(string Text, bool IsError);
