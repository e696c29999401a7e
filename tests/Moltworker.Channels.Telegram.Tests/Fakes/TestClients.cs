using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Testing.Telegram;
using Telegram.Bot;

namespace Moltworker.Channels.Telegram.Tests.Fakes;

internal static class TestClients
{
    public static TelegramOptions Options(TelegramBotApiServer server) => new() { BotToken = server.Token, ApiRoot = server.ApiRoot };

    /// <summary>The Telegram.Bot client exactly as the channel builds it, pointed at the in-test server.</summary>
    public static ITelegramBotClient Client(TelegramBotApiServer server) => BotClientFactory.Create(Options(server), new HttpClient());
}
