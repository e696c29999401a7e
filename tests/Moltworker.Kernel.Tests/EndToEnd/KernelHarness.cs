using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Storage.Sqlite;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>
/// The real kernel (DI as the host composes it, SQLite state in a temp folder, the travel plugin) with its model
/// pointed at a <see cref="FakeOpenAIServer"/> over loopback HTTP, on a fake clock that runs retry delays at once.
/// </summary>
public sealed class KernelHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _dir;

    private KernelHarness(IHost host, string dir, FakeOpenAIServer server, FakeTimeProvider time)
    {
        _host = host;
        _dir = dir;
        Server = server;
        Time = time;
    }

    public FakeOpenAIServer Server { get; }
    public FakeTimeProvider Time { get; }
    public ToolCallLog Tools => _host.Services.GetRequiredService<ToolCallLog>();
    public IChatService Chat => _host.Services.GetRequiredService<IChatService>();

    public static async Task<KernelHarness> StartAsync(string model = "e2e-model", Dictionary<string, string?>? settings = null)
    {
        var server = await FakeOpenAIServer.StartAsync();
        var dir = Directory.CreateTempSubdirectory("moltworker-e2e-").FullName;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = dir, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:Llm:BaseUrl"] = server.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = "sk-e2e",
            ["Moltworker:Llm:Model"] = model,
            ["Moltworker:Llm:MaxRetries"] = "2",
            ["Moltworker:DataDirectory"] = Path.Combine(dir, "data"),
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var time = new FakeTimeProvider { AutoAdvance = true };
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ToolCallLog>();
        builder.Services.AddMoltworkerKernel(builder.Configuration);
        builder.Services.AddSqliteStorage();
        builder.Services.AddPlugin<TravelPlugin>();
        return new KernelHarness(builder.Build(), dir, server, time);
    }

    /// <summary>One turn as a channel would run it; <paramref name="onDelta"/> set means streaming.</summary>
    public Task<ChatReply> AskAsync(string text, Func<string, Task>? onDelta = null, string chat = "e2e") =>
        Chat.HandleAsync(new IncomingMessage(new ChatAddress("test", chat, "tester"), text) { OnTextDelta = onDelta }, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
