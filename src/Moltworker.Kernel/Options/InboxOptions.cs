namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Inbox</c></summary>
public sealed class InboxOptions
{
    /// <summary>Chats handled at once; the messages of one chat are always handled one at a time, in order.</summary>
    public int MaxConcurrentChats { get; set; } = 8;
    /// <summary>Tries per item before it is set aside with its error (retried in place, backoff 1 s, 2 s, 4 s…).</summary>
    public int MaxAttempts { get; set; } = 3;

}
