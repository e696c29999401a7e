using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.Fakes;

/// <summary>A test class's two loopback servers: the Bot API and an OpenAI-compatible model, started before each test and
/// stopped after it.</summary>
public abstract class BotAndModelServers : IAsyncLifetime
{
    protected TelegramBotApiServer Bot { get; private set; } = null!;
    protected FakeOpenAIServer Model { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Bot = await TelegramBotApiServer.StartAsync();
        Model = await FakeOpenAIServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Model.DisposeAsync();
    }
}
