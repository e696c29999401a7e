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
    /// <summary>Not an update that can be read (not JSON of an update, no update_id).</summary>
    Malformed,
    /// <summary>Read, but it cannot be routed (a message without a chat, an entity outside the text).</summary>
    Rejected,
}
