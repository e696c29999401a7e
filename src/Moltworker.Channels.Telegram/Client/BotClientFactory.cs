using Moltworker.Channels.Telegram.Options;
using Telegram.Bot;

namespace Moltworker.Channels.Telegram.Client;

/// <summary>
/// Builds the Telegram.Bot client the channel uses: the token and <see cref="TelegramOptions.ApiRoot"/> as
/// <see cref="TelegramBotClientOptions"/>, the library's own 429 retry switched off (it waits on the wall clock; the
/// channel's Polly pipelines honour <c>retry_after</c> on the injected clock instead), and API error descriptions
/// passed through <see cref="TokenRedactor"/>.
/// </summary>
public static class BotClientFactory
{
    /// <summary>The <see cref="System.Net.Http.IHttpClientFactory"/> name of the Bot API client (its loggers are removed:
    /// every URL carries the token).</summary>
    public const string HttpClientName = "Moltworker.Telegram";

    /// <summary>The library options for <paramref name="options"/>; throws <see cref="ArgumentException"/> for a token that
    /// is not <c>digits:secret</c> or an ApiRoot that is not an absolute URL (see <see cref="TelegramOptionsCheck"/>).</summary>
    public static TelegramBotClientOptions LibraryOptions(TelegramOptions options) =>
        new(options.BotToken ?? "", options.ApiRoot) { RetryThreshold = 0 };

    public static ITelegramBotClient Create(TelegramOptions options, HttpClient http) =>
        new TelegramBotClient(LibraryOptions(options), http) { ExceptionsParser = new RedactingExceptionParser(options.BotToken) };
}
