namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Transactions</c>: the log of every model and tool call.</summary>
public sealed class TransactionsOptions
{
    /// <summary>Log every model call and tool attempt in the transaction log.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Argument keys whose values are replaced by "[redacted]" (case-insensitive, <c>*</c> matches anything).</summary>
    public List<string> RedactKeys { get; set; } = ["*key*", "*token*", "*secret*", "*password*", "*authorization*", "*cookie*", "*credential*"];

    /// <summary>Entries older than this are deleted (checked at start and every 6 hours). 0 keeps everything.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Characters of a result kept as its summary.</summary>
    public int SummaryChars { get; set; } = 300;

    /// <summary>Rows are queued and stored together this long after the first of them (one transaction instead of a
    /// commit per row, off the turn's path); a crash loses at most this much of the log. 0 stores each row at once.</summary>
    public TimeSpan WriteDelay { get; set; } = TimeSpan.FromMilliseconds(50);
}
