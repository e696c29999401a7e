namespace Moltworker.Kernel.Commands.Registration;

/// <summary>
/// <c>Moltworker:CommandRegistration</c>: the retry policy of every channel's command registration. A failed
/// registration is retried forever, with exponential backoff (jittered) from <see cref="RetryBaseDelay"/> up to
/// <see cref="RetryMaxDelay"/>; a platform's retry-after is honoured.
/// </summary>
public sealed class CommandRegistrationOptions
{
    public const string Section = "Moltworker:CommandRegistration";

    /// <summary>First wait before a failed command registration (Telegram <c>setMyCommands</c>, Discord bulk overwrite) is tried again; doubles on every failure.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two registration attempts (a platform's retry-after is waited in full).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
}
