namespace Moltworker.Kernel.Transactions;

/// <summary>Appends without letting a logging failure (disk full, locked database) fail the call it describes.</summary>
public static class TransactionWriter
{
    private static int _failures;

    /// <summary>Rows that could not be stored since start.</summary>
    public static int Failures => Volatile.Read(ref _failures);

    public static async Task TryAppendAsync(ITransactionLog log, TransactionRecord record)
    {
        try { await log.AppendAsync(record, CancellationToken.None); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { CountFailure(1); }
    }

    /// <summary>Counts rows that could not be stored (<see cref="BufferedTransactionLog"/> writes them later, in batches).</summary>
    public static void CountFailure(int rows) => Interlocked.Add(ref _failures, rows);
}
