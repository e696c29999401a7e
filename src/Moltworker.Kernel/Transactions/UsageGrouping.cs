namespace Moltworker.Kernel.Transactions;

/// <summary>How <see cref="ITransactionLog.UsageAsync"/> sums model calls.</summary>
public enum UsageGrouping { Task, Chat, Model }
