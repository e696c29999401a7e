using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Sqlite;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.Filters.Support;

/// <summary>The kernel with the filters, SQLite in a temp folder, the test tools, a scripted model and a manual clock.</summary>
public sealed class KernelHarness : IDisposable
{
    public const string ParallelModel = "parallel-model";
    public const string SerialModel = "serial-model";

    private readonly IHost _host;
    private readonly IDisposable _subscription;

    public KernelHarness(Dictionary<string, string?>? settings = null, string agentFrontMatter = "phases: [work]", bool useClock = true,
        Action<IServiceCollection>? configure = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "mw-filters-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "prompts", "agents"));
        Directory.CreateDirectory(Path.Combine(Root, "prompts", "phases"));
        File.WriteAllText(Path.Combine(Root, "prompts", "agents", "default.md"), $"---\n{agentFrontMatter}\n---\nTest agent.");
        foreach (var phase in new[] { "plan", "work", "review" })
            File.WriteAllText(Path.Combine(Root, "prompts", "phases", $"{phase}.md"), $"---\ntools: true\n---\nYou are in phase {phase}.");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Root, DisableDefaults = true });
        var config = new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = Path.Combine(Root, "data"),
            ["Moltworker:Prompts:Directory"] = Path.Combine(Root, "prompts"),
            ["Moltworker:Plugins:Directory"] = Path.Combine(Root, "plugins"),
            ["Moltworker:Plugins:Watch"] = "false",
            ["Moltworker:Llm:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Moltworker:Llm:Model"] = ParallelModel,
        };
        foreach (var (k, v) in ManualClockSettings.NoBackgroundTimers) config[k] = v;   // tests wait for "the" timer
        foreach (var (k, v) in settings ?? []) config[k] = v;
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var services = builder.Services;
        if (useClock) services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Probe);
        services.AddSingleton<IChatClient>(Model);
        services.AddSingleton(new ModelCatalog([
            new ModelInfo { Id = ParallelModel, ParallelCalls = true, InputPricePerMillion = 2m, OutputPricePerMillion = 8m },
            new ModelInfo { Id = SerialModel, ParallelCalls = false },
        ]));
        services.AddMoltworkerKernel(builder.Configuration);
        services.AddSqliteStorage();
        services.AddMoltworkerFilters(builder.Configuration);
        services.AddPlugin<TestTools>();
        configure?.Invoke(services);
        _host = builder.Build();
        _subscription = Get<IEventBus>().Subscribe(e =>
        {
            lock (Events) Events.Add(e);
            _eventArrived.Release();
        });
    }

    public string Root { get; }
    public FakeTimeProvider Clock { get; } = new();
    public ToolProbe Probe { get; } = new();
    public ScriptedChatClient Model { get; } = new();
    public List<KernelEvent> Events { get; } = [];
    private readonly SemaphoreSlim _eventArrived = new(0);
    public IServiceProvider Services => _host.Services;

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>A filter or service that is registered only behind its interface, built from the same container.</summary>
    public T Create<T>() where T : notnull => ActivatorUtilities.CreateInstance<T>(_host.Services);

    public List<T> EventsOf<T>() where T : KernelEvent { lock (Events) return Events.OfType<T>().ToList(); }

    /// <summary>The first event of type <typeparamref name="T"/>, waiting for it if it has not been published yet
    /// (events published from a finally block can land after the awaited task has already ended).</summary>
    public async Task<T> WaitForEventAsync<T>() where T : KernelEvent
    {
        using var sanity = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (EventsOf<T>().FirstOrDefault() is { } found) return found;
            await _eventArrived.WaitAsync(sanity.Token);
        }
    }

    public TurnContext Turn(string model = ParallelModel, string taskId = "task1", CancellationToken cancellationToken = default) => new()
    {
        TaskId = taskId,
        Address = new ChatAddress("test", "chat1", "user1"),
        History = [new ChatMessage(ChatRole.User, "go")],
        Model = Get<ModelCatalog>().Get(model),
        Step = 1,
        CancellationToken = cancellationToken,
    };

    public static FunctionCallContent Call(string id, string tool, object? args = null) =>
        new(id, tool, args is null ? new Dictionary<string, object?>() : System.Text.Json.JsonSerializer.SerializeToElement(args)
            .EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value));

    public Task<IReadOnlyList<CallContext>> RunBatchAsync(TurnContext turn, params FunctionCallContent[] calls) =>
        Get<BatchRunner>().RunAsync(turn, calls, "model");

    public Task<ChatReply> AskAsync(string text, CancellationToken cancellationToken = default) =>
        Get<IChatService>().HandleAsync(new IncomingMessage(new ChatAddress("test", "chat1", "user1"), text), cancellationToken);

    public void Dispose()
    {
        _subscription.Dispose();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
