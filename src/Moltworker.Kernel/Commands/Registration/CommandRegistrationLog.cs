using Microsoft.Extensions.Logging;

namespace Moltworker.Kernel.Commands.Registration;

/// <summary>The log lines of <see cref="CommandRegistrationLoop{TCommands}"/>: one warning per failure streak, not one per retry.</summary>
internal static partial class CommandRegistrationLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Platform} commands registered ({Count})")]
    public static partial void Registered(ILogger logger, string platform, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Platform} commands unchanged ({Count}); not registered again")]
    public static partial void Unchanged(ILogger logger, string platform, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} command registration failed ({Reason}); retrying with backoff (up to {MaxDelay}) until it succeeds")]
    public static partial void StreakStarted(ILogger logger, string platform, string reason, TimeSpan maxDelay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Platform} command registration failed again, attempt {Attempt} ({Reason}); next try in {Delay}")]
    public static partial void StillFailing(ILogger logger, string platform, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Platform} command registration succeeded after {Failures} failed attempts")]
    public static partial void Recovered(ILogger logger, string platform, int failures);
}
