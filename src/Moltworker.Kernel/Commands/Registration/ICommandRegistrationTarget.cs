namespace Moltworker.Kernel.Commands.Registration;

/// <summary>
/// What a channel supplies to <see cref="CommandRegistrationLoop{TCommands}"/>: the command list in its platform's
/// shape, the store key naming who the list is registered for (a bot, an application and scope), and the call that
/// registers it.
/// </summary>
/// <typeparam name="TCommands">The list as the platform's client takes it.</typeparam>
public interface ICommandRegistrationTarget<TCommands>
{
    /// <summary>The platform's name for log lines ("Telegram").</summary>
    string Platform { get; }

    /// <summary>Raised after the list changed (a plugin was loaded, reloaded or unloaded).</summary>
    event Action? Changed;

    /// <summary>The list as it is now, with the text its hash is taken from.</summary>
    CommandList<TCommands> Current();

    /// <summary>
    /// The key-value store key under which the hash of the registered list is kept. It must name the identity the
    /// commands are registered for (the bot id, the application id and scope), so that a different bot or
    /// application is registered even when the list is the same. Never a secret in clear.
    /// </summary>
    ValueTask<string> GetStoreKeyAsync(CancellationToken cancellationToken);

    /// <summary>Registers the list with the platform, replacing what was registered before.</summary>
    Task RegisterAsync(TCommands commands, CancellationToken cancellationToken);

    /// <summary>How long the platform asked to wait after this failure (a 429's retry-after), if it said.</summary>
    TimeSpan? RetryAfter(Exception error) => null;
}
