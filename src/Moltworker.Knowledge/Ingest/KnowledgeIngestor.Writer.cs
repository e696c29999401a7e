using System.Threading.Channels;
using Moltworker.Knowledge.Stores;

namespace Moltworker.Knowledge.Ingest;

/// <summary>The writer side of a folder ingest: prepared documents stored in batches, one transaction each.</summary>
public sealed partial class KnowledgeIngestor
{
    /// <summary>Documents written in one transaction at most (<see cref="IKnowledgeStore.ReplaceDocumentsAsync"/>).</summary>
    internal const int MaxBatchDocuments = 64;

    /// <summary>Chunks in one write transaction at most: a batch closes at the document that reaches this.</summary>
    internal const int MaxBatchChunks = 4096;

    /// <summary>
    /// The single writer of a folder ingest: waits for a prepared document, takes every other one already waiting (up
    /// to <see cref="MaxBatchDocuments"/> documents or <see cref="MaxBatchChunks"/> chunks) and stores them in one
    /// transaction, so each document is wholly in or wholly out as before, but FTS5 flushes and merges one segment per
    /// batch instead of one per document. When a batch fails, its documents are written again one by one, so only the
    /// document at fault is reported as failed.
    /// </summary>
    private async Task WriteBatchesAsync(ChannelReader<PendingWrite> reader, Action<string, Outcome, int, Exception?> record, CancellationToken cancellationToken)
    {
        var batch = new List<PendingWrite>();
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            var chunks = 0;
            while (batch.Count < MaxBatchDocuments && chunks < MaxBatchChunks && reader.TryRead(out var next))
            {
                batch.Add(next);
                chunks += next.Write!.Chunks.Count;
            }
            try
            {
                foreach (var b in batch) await RemoveReplacedAsync(b, cancellationToken);
                await store.ReplaceDocumentsAsync(batch.Select(b => b.Write!).ToList(), cancellationToken);
                foreach (var b in batch) record(b.File, b.Outcome, b.Write!.Chunks.Count, null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (batch.Count == 1)
                {
                    record(batch[0].File, batch[0].Outcome, 0, ex);
                    continue;
                }
                foreach (var b in batch)
                {
                    try
                    {
                        await store.ReplaceDocumentAsync(b.Write!.Document, b.Write.Chunks, cancellationToken);
                        record(b.File, b.Outcome, b.Write.Chunks.Count, null);
                    }
                    catch (Exception one) when (one is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        record(b.File, b.Outcome, 0, one);
                    }
                }
            }
        }
    }
}
