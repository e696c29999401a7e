namespace Moltworker.Testing.Telegram;

public sealed record ChatActionRecord(long ChatId, string Action, long? ThreadId, DateTimeOffset At);
