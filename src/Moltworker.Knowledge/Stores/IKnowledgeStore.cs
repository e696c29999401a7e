using Moltworker.Kernel.State;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Stores;

/// <summary>Where passages live: SQLite (embedded default) or Qdrant. All methods are safe to call concurrently.</summary>
public interface IKnowledgeStore
{
    /// <summary>"sqlite" or "qdrant".</summary>
    string Kind { get; }

    Task<DocumentInfo?> GetDocumentAsync(string documentId, CancellationToken cancellationToken);

    /// <summary>Documents whose source equals or lies under <paramref name="sourcePrefix"/> (all when null).</summary>
    Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string? sourcePrefix, CancellationToken cancellationToken);

    /// <summary>Stores the document and its chunks, replacing whatever was stored for the same document id.</summary>
    Task ReplaceDocumentAsync(DocumentInfo document, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken);

    /// <summary>Stores several documents as <see cref="ReplaceDocumentAsync"/> does, in order. A store that can writes
    /// them in one transaction (SQLite: one commit and one FTS5 segment for the batch instead of one per document), so
    /// each document is still either wholly in or wholly out; by default, one document at a time.</summary>
    async Task ReplaceDocumentsAsync(IReadOnlyList<DocumentWrite> documents, CancellationToken cancellationToken)
    {
        foreach (var write in documents) await ReplaceDocumentAsync(write.Document, write.Chunks, cancellationToken);
    }

    Task<bool> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken);

    Task<KnowledgeStats> GetStatsAsync(CancellationToken cancellationToken);

    Task<HealthEntry> CheckHealthAsync(CancellationToken cancellationToken);
}
