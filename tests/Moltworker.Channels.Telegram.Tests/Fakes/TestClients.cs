using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.Fakes;

internal static class TestClients
{
    public static TelegramOptions Options(TelegramBotApiServer server) => new() { BotToken = server.Token, ApiRoot = server.ApiRoot };

    public static TelegramBotClient Client(TelegramBotApiServer server, ILoggerFactory? logs = null) =>
        new(new HttpClient(), Microsoft.Extensions.Options.Options.Create(Options(server)),
            (logs ?? NullLoggerFactory.Instance).CreateLogger<TelegramBotClient>());
}
