namespace Moltworker.Channels.Telegram.Intake;

public enum IntakeResult
{
    /// <summary>Stored in the inbox; it will be answered.</summary>
    Accepted,
    /// <summary>This update id was accepted before.</summary>
    Duplicate,
    /// <summary>Not for the bot (group chatter, edits, other update kinds).</summary>
    Ignored,
    /// <summary>Neither the user nor the chat is on the allow lists.</summary>
    Denied,
    RateLimited,
    Malformed,
}
