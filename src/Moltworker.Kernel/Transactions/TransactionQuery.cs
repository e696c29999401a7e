namespace Moltworker.Kernel.Transactions;

/// <summary>Filters of the transaction log; null means any.</summary>
public sealed record TransactionQuery
{
    public string? TaskId { get; init; }
    public string? Name { get; init; }
    public string? Kind { get; init; }
    public string? Status { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public int Limit { get; init; } = 100;
}
