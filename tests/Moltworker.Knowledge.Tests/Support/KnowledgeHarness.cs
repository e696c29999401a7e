using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Knowledge.Chunking;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Options;
using Moltworker.Knowledge.Search;
using Moltworker.Knowledge.Stores;
using Moltworker.Knowledge.Stores.Sqlite;

namespace Moltworker.Knowledge.Tests.Support;

/// <summary>A knowledge base on a temporary SQLite file (optionally with an embedder), wired like the host wires it.</summary>
public sealed class KnowledgeHarness : IDisposable
{
    public KnowledgeHarness(IEmbeddingGenerator<string, Embedding<float>>? generator = null, ChunkingOptions? chunking = null, IKnowledgeStore? store = null)
    {
        Store = store ?? new SqliteKnowledgeStore(new FileConnectionFactory(Folder.Combine("data/kb.db")));
        Embedder = generator is null ? KnowledgeEmbedder.None : new KnowledgeEmbedder(generator, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
        Chunker = new DocumentChunker(chunking ?? new ChunkingOptions(120, 20));
        Ingestor = new KnowledgeIngestor(Store, Chunker, Embedder, TimeProvider.System, NullLogger<KnowledgeIngestor>.Instance);
        Search = new KnowledgeSearchService(Store, Embedder, Options, NullLogger<KnowledgeSearchService>.Instance);
    }

    public TempFolder Folder { get; } = new();
    public KnowledgeOptions Options { get; } = new();
    public IKnowledgeStore Store { get; }
    public KnowledgeEmbedder Embedder { get; }
    public DocumentChunker Chunker { get; }
    public KnowledgeIngestor Ingestor { get; }
    public KnowledgeSearchService Search { get; }

    public Task<IngestSummary> IngestAsync(params string[] paths) =>
        Ingestor.IngestAsync(new IngestRequest(paths), null, CancellationToken.None);

    public void Dispose() => Folder.Dispose();
}
