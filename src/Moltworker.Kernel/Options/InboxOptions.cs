namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Inbox</c></summary>
public sealed class InboxOptions
{
    public int MaxConcurrentChats { get; set; } = 8;
    public int MaxAttempts { get; set; } = 3;
    public int FetchSize { get; set; } = 500;
}
