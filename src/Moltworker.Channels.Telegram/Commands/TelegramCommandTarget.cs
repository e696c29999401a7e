using System.Text.Json;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Kernel.Commands.Registration;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Moltworker.Channels.Telegram.Commands;

/// <summary>Telegram's side of command registration: the normalised list, <c>setMyCommands</c>, and the bot's id
/// (from getMe) as the identity, so a different bot is registered even with the same list.</summary>
public sealed class TelegramCommandTarget(ITelegramBotClient client, TelegramCommands commands, BotIdentity identity)
    : ICommandRegistrationTarget<IReadOnlyList<BotCommand>>
{
    /// <summary>The hash of the list registered for bot <c>{id}</c> is kept under this prefix plus the id.</summary>
    public const string HashKeyPrefix = "telegram:commands-hash:";

    public string Platform => "Telegram";

    public event Action? Changed
    {
        add => commands.Changed += value;
        remove => commands.Changed -= value;
    }

    public CommandList<IReadOnlyList<BotCommand>> Current()
    {
        var list = commands.Map.Commands;
        return new(list, list.Count, JsonSerializer.Serialize(list, JsonBotAPI.Options));
    }

    public async ValueTask<string> GetStoreKeyAsync(CancellationToken cancellationToken) =>
        HashKeyPrefix + (await identity.GetAsync(cancellationToken)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Task RegisterAsync(IReadOnlyList<BotCommand> commands, CancellationToken cancellationToken) =>
        client.SetMyCommands(commands, cancellationToken: cancellationToken);

    public TimeSpan? RetryAfter(Exception error) => TelegramErrors.RetryAfter(error);
}
