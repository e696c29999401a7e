namespace Moltworker.Kernel.Transactions;

/// <summary>Tokens and cost of model calls, summed per <see cref="Key"/> (a task, a chat or a model).</summary>
public sealed record UsageTotal(string Key, long Calls, long InputTokens, long OutputTokens, decimal Cost);
