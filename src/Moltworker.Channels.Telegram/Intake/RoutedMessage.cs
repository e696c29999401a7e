namespace Moltworker.Channels.Telegram.Intake;

/// <summary>A message the bot answers: where it came from and the text for the kernel (bot mention and
/// "@bot" suffix removed, Telegram command names mapped back to the kernel's).</summary>
public sealed record RoutedMessage(long ChatId, long UserId, int MessageId, int? ThreadId, bool IsGroup, string Text, bool IsCommand)
{
    /// <summary>Set for the service message saying a group became the supergroup with this id.</summary>
    public long? MigrateToChatId { get; init; }
}
