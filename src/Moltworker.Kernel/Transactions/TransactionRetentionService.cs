using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Transactions;

/// <summary>Deletes transaction log entries older than <c>Moltworker:Transactions:RetentionDays</c>, at start and every 6 hours.</summary>
public sealed class TransactionRetentionService(ITransactionLog log, IOptions<TransactionsOptions> options, TimeProvider time,
    ILogger<TransactionRetentionService> logger) : PeriodicRetentionService(time, logger)
{
    protected override string What => "transaction log entries";

    protected override int RetentionDays => options.Value.RetentionDays;

    protected override Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => log.PruneAsync(before, cancellationToken);
}
