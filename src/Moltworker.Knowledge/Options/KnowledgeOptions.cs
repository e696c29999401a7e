namespace Moltworker.Knowledge.Options;

/// <summary><c>Moltworker:Knowledge</c>: where the knowledge base lives and how it is cut and searched.</summary>
public sealed class KnowledgeOptions
{
    public const string Section = "Moltworker:Knowledge";

    /// <summary><c>Sqlite</c> (default, the shared database file) or <c>Qdrant</c>.</summary>
    public KnowledgeStoreKind Store { get; set; } = KnowledgeStoreKind.Sqlite;

    /// <summary>Target chunk size in tokens, counted by <see cref="Tokenizer"/>.</summary>
    public int ChunkTokens { get; set; } = 350;

    /// <summary>How chunk sizes are counted: <c>auto</c> (default: the tiktoken encoding of the embedding model when
    /// tiktoken knows it, else o200k_base; with no embedding model, the estimate, since a loaded vocabulary keeps about
    /// 40 MB of memory for the life of the process), <c>o200k_base</c>, <c>cl100k_base</c> (Microsoft.ML.Tokenizers), or
    /// <c>estimate</c> (no tokenizer: one token per started four characters of a word).</summary>
    public string Tokenizer { get; set; } = "auto";

    /// <summary>Tokens of the previous chunk repeated at the start of the next one (within a section).</summary>
    public int ChunkOverlapTokens { get; set; } = 50;

    /// <summary>Passages returned by search when the caller does not say.</summary>
    public int DefaultTop { get; set; } = 5;

    /// <summary>Most passages a caller may ask for.</summary>
    public int MaxTop { get; set; } = 50;

    /// <summary>The reciprocal rank fusion constant k (score = Σ 1/(k + rank)).</summary>
    public int RrfK { get; set; } = 60;

    /// <summary>Candidates taken from each ranking (BM25, vector) before fusion, as a multiple of top.</summary>
    public int CandidateMultiplier { get; set; } = 4;

    /// <summary>Rank documents by all of their evidence (document-level BM25 with title and heading fields, the best
    /// passage, the other passages, proximity, definitions) and return each document's best passages together. Off:
    /// passages are ranked on their own, as before.</summary>
    public bool RankDocuments { get; set; } = true;

    /// <summary>Passages returned per document when <see cref="RankDocuments"/> is on (best first).</summary>
    public int PassagesPerDocument { get; set; } = 2;

    /// <summary>The curated folder ingested at start (relative to the content root). Empty: none.</summary>
    public string SeedFolder { get; set; } = "knowledge";

    /// <summary>Ingest <see cref="SeedFolder"/> when the host starts (idempotent: unchanged files are skipped).</summary>
    public bool IngestSeedOnStart { get; set; } = true;

    /// <summary>Offer the <c>knowledge_ingest</c> tool to the model (off by default).</summary>
    public bool AllowIngestTool { get; set; }

    /// <summary>Folders the <c>knowledge_ingest</c> tool may read from. Empty: only <see cref="SeedFolder"/>.</summary>
    public List<string> IngestToolRoots { get; set; } = [];

    /// <summary>Files larger than this are not ingested; ingest reports them as failures.</summary>
    public long MaxFileBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long a search waits for the query's embedding (retries included) before it searches by keywords
    /// only, with a note. Ingest keeps the embeddings client's own, longer budget.</summary>
    public TimeSpan QueryEmbeddingTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>SQLite file; empty: <c>moltworker.db</c> in <c>Moltworker:DataDirectory</c> (the shared database).</summary>
    public string? SqlitePath { get; set; }

    public QdrantOptions Qdrant { get; set; } = new();

    /// <summary>The optional reranking stage (off unless its BaseUrl is set).</summary>
    public Reranking.RerankingOptions Reranking { get; set; } = new();
}
