using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Moltworker.Knowledge.Chunking;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Options;
using Moltworker.Knowledge.Stores;

namespace Moltworker.Knowledge.Ingest;

/// <summary>
/// Ingests files and folders: read → chunk → embed (when configured) → store. Idempotent by content hash
/// (which also covers the chunk settings and the embedding model): unchanged documents are skipped, changed
/// ones replace their chunks, and with <see cref="IngestRequest.Prune"/> documents whose files are gone are removed.
/// A document added under an id its source did not have before (document ids changed from SHA-256 to XxHash128 in
/// 2026-12, <see cref="ChunkIds.Document"/>) replaces the other documents of the same source: they are deleted just
/// before it is written, so the knowledge base never holds a source twice (a crash in between leaves it missing until
/// the next ingest adds it).
/// </summary>
public sealed partial class KnowledgeIngestor(IKnowledgeStore store, DocumentChunker chunker, KnowledgeEmbedder embedder, TimeProvider time, ILogger<KnowledgeIngestor> logger,
    KnowledgeOptions? options = null)
{
    public async Task<IngestSummary> IngestAsync(IngestRequest request, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var files = FileScanner.Scan(request.Paths);
        // One listing of what is stored under the paths (a path that is gone too, when pruning): the other ids of a
        // source a document replaces, and what the prune looks at.
        var stored = await StoredAsync(request.Paths.Where(p => request.Prune || File.Exists(p) || Directory.Exists(p)).Select(Path.GetFullPath), cancellationToken);
        var storedIds = BySource(stored);
        int done = 0, added = 0, updated = 0, unchanged = 0, chunks = 0;
        var failures = new System.Collections.Concurrent.ConcurrentBag<IngestFailure>();
        var gate = new object();

        foreach (var missing in request.Paths.Where(p => !File.Exists(p) && !Directory.Exists(p) && !request.Prune))
            failures.Add(new IngestFailure(Path.GetFullPath(missing), "No such file or folder."));

        void Record(string file, Outcome outcome, int written, Exception? error)
        {
            if (error is not null)
            {
                LogFailed(logger, file, error.Message);
                failures.Add(new IngestFailure(file, error.Message));
            }
            lock (gate)
            {
                if (error is null)
                {
                    chunks += written;
                    if (outcome == Outcome.Added) added++;
                    else if (outcome == Outcome.Updated) updated++;
                    else unchanged++;
                }
                done++;
                progress?.Report(new IngestProgress(files.Count, done, added, updated, unchanged, failures.Count, chunks, time.GetElapsedTime(started)));
            }
        }

        // Reading, chunking and embedding run on the workers; one writer takes what they have ready and stores it in
        // batches, one transaction each, while they go on (see WriteBatchesAsync).
        var writes = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(MaxBatchDocuments) { SingleReader = true });
        async Task WriteAllAsync()
        {
            try { await WriteBatchesAsync(writes.Reader, Record, cancellationToken); }
            catch (Exception ex)
            {
                writes.Writer.TryComplete(ex); // workers waiting for room in the queue fail instead of waiting forever
                throw;
            }
        }
        var writer = WriteAllAsync();
        try
        {
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.Parallelism), CancellationToken = cancellationToken },
                async (file, ct) =>
                {
                    try
                    {
                        var pending = await PrepareFileAsync(file, request, storedIds, ct);
                        if (pending.Write is null) Record(file, pending.Outcome, 0, null);
                        else await writes.Writer.WriteAsync(pending, ct);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        Record(file, Outcome.Unchanged, 0, ex);
                    }
                });
        }
        finally
        {
            writes.Writer.TryComplete();
            await writer;
        }

        var removed = request.Prune ? await PruneAsync(stored, files, cancellationToken) : 0;
        var summary = new IngestSummary(files.Count, added, updated, unchanged, removed, chunks, time.GetElapsedTime(started), embedder.IsEnabled ? "hybrid" : "keyword-only")
        {
            Failures = failures.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
        };
        LogSummary(logger, summary.ToString());
        return summary;
    }

    /// <summary>Ingests one document whose text came with a request (<c>POST /api/knowledge/ingest</c>) rather than from
    /// a file: the same chunking, embedding and hash check as a file, so sending the same text again changes nothing.</summary>
    public async Task<IngestSummary> IngestDocumentAsync(SourceDocument document, bool force, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var pending = await PrepareAsync(document.Source, document, force, BySource(await StoredAsync([document.Source], cancellationToken)), cancellationToken);
        if (pending.Write is { } write)
        {
            await RemoveReplacedAsync(pending, cancellationToken);
            await store.ReplaceDocumentAsync(write.Document, write.Chunks, cancellationToken);
        }
        var outcome = pending.Outcome;
        var summary = new IngestSummary(1, outcome == Outcome.Added ? 1 : 0, outcome == Outcome.Updated ? 1 : 0, outcome == Outcome.Unchanged ? 1 : 0, 0,
            pending.Write?.Chunks.Count ?? 0, time.GetElapsedTime(started), embedder.IsEnabled ? "hybrid" : "keyword-only");
        LogSummary(logger, summary.ToString());
        return summary;
    }

    private enum Outcome { Added, Updated, Unchanged }

    /// <summary>A document ready to store (<see cref="Write"/> null when it is unchanged), what storing it means, and the
    /// ids of the other documents of its source that it replaces (deleted before it is written).</summary>
    private sealed record PendingWrite(string File, Outcome Outcome, DocumentWrite? Write)
    {
        public IReadOnlyList<string> Replaces { get; init; } = [];
    }

    /// <summary>The stored documents under <paramref name="sources"/> (sources or folders above them), one query per path.</summary>
    private async Task<IReadOnlyList<DocumentInfo>> StoredAsync(IEnumerable<string> sources, CancellationToken cancellationToken)
    {
        var documents = new List<DocumentInfo>();
        foreach (var path in sources.Distinct(StringComparer.Ordinal))
            documents.AddRange(await store.ListDocumentsAsync(path, cancellationToken));
        return documents.DistinctBy(d => d.Id).ToList();
    }

    /// <summary>Stored documents' ids by source: adding a document costs no query to find the old ids of its source.</summary>
    private static ILookup<string, string> BySource(IReadOnlyList<DocumentInfo> documents) =>
        documents.ToLookup(d => d.Source, d => d.Id, StringComparer.Ordinal);

    /// <summary>Deletes the documents that <paramref name="pending"/> replaces (other ids of its source).</summary>
    private async Task RemoveReplacedAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        foreach (var id in pending.Replaces)
            if (await store.DeleteDocumentAsync(id, cancellationToken)) LogReplaced(logger, pending.Write!.Document.Source, id, pending.Write.Document.Id);
    }

    private async Task<PendingWrite> PrepareFileAsync(string file, IngestRequest request, ILookup<string, string> stored, CancellationToken cancellationToken)
    {
        var maxBytes = options?.MaxFileBytes ?? new KnowledgeOptions().MaxFileBytes;
        var length = new FileInfo(file).Length;
        if (length > maxBytes) throw new IOException($"The file has {length} bytes, more than Moltworker:Knowledge:MaxFileBytes ({maxBytes}).");
        var document = await DocumentReader.ReadAsync(file, cancellationToken, request.Tags);
        return await PrepareAsync(file, document, request.Force, stored, cancellationToken);
    }

    /// <summary>Checks the hash, then chunks and embeds a document that is new or changed.</summary>
    private async Task<PendingWrite> PrepareAsync(string file, SourceDocument document, bool force, ILookup<string, string> stored, CancellationToken cancellationToken)
    {
        var hash = Fingerprint(document);
        var existing = await store.GetDocumentAsync(document.Id, cancellationToken);
        if (!force && existing is not null && existing.Hash == hash) return new PendingWrite(file, Outcome.Unchanged, null);

        var chunks = chunker.Chunk(document);
        if (embedder.IsEnabled && chunks.Count > 0)
        {
            var vectors = await embedder.EmbedAsync(chunks.Select(KnowledgeEmbedder.EmbeddingText).ToList(), cancellationToken);
            chunks = chunks.Select((c, i) => c with { Vector = vectors[i] }).ToList();
        }
        var info = new DocumentInfo(document.Id, document.Source, document.Title, hash, chunks.Count, document.UpdatedAt) { Tags = document.Tags };
        return new PendingWrite(file, existing is null ? Outcome.Added : Outcome.Updated, new DocumentWrite(info, chunks))
        {
            Replaces = existing is null ? stored[document.Source].Where(id => id != document.Id).ToList() : [],
        };
    }

    private string Fingerprint(SourceDocument document) =>
        $"{document.Hash}:{chunker.Options.MaxTokens}/{chunker.Options.OverlapTokens}:{embedder.Fingerprint}";

    /// <summary>Removes the <paramref name="stored"/> documents (listed before the ingest) whose file is gone. Those the
    /// ingest wrote have their file; those it replaced were deleted already.</summary>
    private async Task<int> PruneAsync(IReadOnlyList<DocumentInfo> stored, List<string> seen, CancellationToken cancellationToken)
    {
        var present = seen.ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var document in stored)
        {
            if (present.Contains(document.Source) || File.Exists(document.Source)) continue;
            if (await store.DeleteDocumentAsync(document.Id, cancellationToken))
            {
                removed++;
                LogPruned(logger, document.Source);
            }
        }
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ingest {Path}: {Error}")]
    private static partial void LogFailed(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaced document {OldId} of {Source} by {NewId} (document ids changed)")]
    private static partial void LogReplaced(ILogger logger, string source, string oldId, string newId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Source} from the knowledge base (file is gone)")]
    private static partial void LogPruned(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest: {Summary}")]
    private static partial void LogSummary(ILogger logger, string summary);
}
