namespace Moltworker.Testing.Telegram;

/// <summary>An error the in-test server answers instead of handling the next call of a method.</summary>
public sealed record InjectedFault(int ErrorCode, string Description, int? RetryAfter = null, long? MigrateToChatId = null);
