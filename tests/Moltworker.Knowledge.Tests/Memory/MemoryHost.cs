using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Memory;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Storage.Sqlite;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Time;

namespace Moltworker.Knowledge.Tests.Memory;

/// <summary>
/// The kernel, its filters, SQLite storage, the knowledge base and memory composed as the host composes them, with the
/// model a <see cref="FakeOpenAIServer"/> over loopback HTTP: what the scripted model sees is what a real one would.
/// </summary>
public sealed class MemoryHost : IAsyncDisposable
{
    private readonly TempFolder _folder;
    private readonly IHost _host;

    private MemoryHost(TempFolder folder, IHost host, FakeOpenAIServer server)
    {
        _folder = folder;
        _host = host;
        Server = server;
    }

    public FakeOpenAIServer Server { get; }
    public IServiceProvider Services => _host.Services;

    public static async Task<MemoryHost> StartAsync(params (string Key, string? Value)[] settings)
    {
        var folder = new TempFolder();
        var server = await FakeOpenAIServer.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.Path, DisableDefaults = true });
        var config = new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = folder.Combine("data"),
            ["Moltworker:Plugins:Directory"] = folder.Combine("plugins"),
            ["Moltworker:Knowledge:SeedFolder"] = "",
            ["Moltworker:Llm:BaseUrl"] = server.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = "sk-memory",
            ["Moltworker:Llm:Model"] = "memory-model",
        };
        foreach (var (k, v) in ManualClockSettings.NoBackgroundTimers) config[k] = v;
        foreach (var (k, v) in settings) config[k] = v;
        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddMoltworkerKernel(builder.Configuration);
        builder.Services.AddMoltworkerFilters(builder.Configuration);
        builder.Services.AddSqliteStorage();
        builder.Services.AddKnowledge(builder.Configuration);
        builder.Services.AddMemory(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new MemoryHost(folder, host, server);
    }

    /// <summary>A message from <paramref name="user"/> in Telegram chat <paramref name="chat"/>.</summary>
    public Task<ChatReply> SayAsync(string chat, string user, string text) =>
        Services.GetRequiredService<IChatService>().HandleAsync(new IncomingMessage(new ChatAddress("telegram", chat, user), text), CancellationToken.None);

    /// <summary>The system prompt of the last request the model received.</summary>
    public string LastSystemPrompt => Server.Requests[^1].Messages.First(m => m.Role == "system").Content ?? "";

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await Server.DisposeAsync();
        _folder.Dispose();
    }
}
