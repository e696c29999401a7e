using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Transactions;

/// <summary>Puts <see cref="TransactionChatClient"/> around the model client.</summary>
public sealed class TransactionChatClientDecorator(ITransactionLog log, ModelCatalog catalog, TimeProvider time, IOptions<TransactionsOptions> options, UsageEstimate? estimate = null)
    : IChatClientDecorator
{
    public IChatClient Decorate(IChatClient inner) =>
        options.Value.Enabled ? new TransactionChatClient(inner, log, catalog, time, options.Value.SummaryChars, estimate) : inner;
}
