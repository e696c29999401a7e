using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Testing.Kernel;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>
/// The real kernel (<see cref="TestKernel"/>: DI as the host composes it, SQLite state, here with the travel plugin)
/// whose model is a <see cref="FakeOpenAIServer"/> over loopback HTTP, on a fake clock that runs retry delays at once.
/// </summary>
public sealed class KernelHarness : IAsyncDisposable
{
    private readonly TestKernel _kernel;

    private KernelHarness(TestKernel kernel, FakeOpenAIServer server, FakeTimeProvider time)
    {
        _kernel = kernel;
        Server = server;
        Time = time;
    }

    public FakeOpenAIServer Server { get; }
    public FakeTimeProvider Time { get; }
    public ToolCallLog Tools => _kernel.Get<ToolCallLog>();
    public IChatService Chat => _kernel.Get<IChatService>();

    public static async Task<KernelHarness> StartAsync(string model = "e2e-model")
    {
        var server = await FakeOpenAIServer.StartAsync();
        var time = new FakeTimeProvider { AutoAdvance = true };
        var kernel = TestKernel.Create(
            plugins: [typeof(TravelPlugin)],
            settings: new Dictionary<string, string?>
            {
                ["Moltworker:Llm:BaseUrl"] = server.BaseUrl,
                ["Moltworker:Llm:ApiKey"] = "sk-e2e",
                ["Moltworker:Llm:Model"] = model,
                ["Moltworker:Llm:MaxRetries"] = "2",
            },
            configure: services =>
            {
                services.AddSingleton<TimeProvider>(time);
                services.AddSingleton<ToolCallLog>();
            });
        return new KernelHarness(kernel, server, time);
    }

    /// <summary>One turn as a channel would run it; <paramref name="onDelta"/> set means streaming.</summary>
    public Task<ChatReply> AskAsync(string text, Func<string, Task>? onDelta = null, string chat = "e2e") =>
        Chat.HandleAsync(new IncomingMessage(new ChatAddress("test", chat, "tester"), text) { OnTextDelta = onDelta }, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _kernel.DisposeAsync();
        await Server.DisposeAsync();
    }
}
