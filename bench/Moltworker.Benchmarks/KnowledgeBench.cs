using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Knowledge.Chunking;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Stores;
using Moltworker.Knowledge.Stores.Sqlite;
using Moltworker.Testing.Knowledge;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>knowledge</c>: ingest rate (keyword-only and with the local 384-dimension test embedder), hybrid query latency
/// of the SQLite store at 10k and 100k chunks (p50/p99 of the store call with document ranking as the host does it,
/// query vector precomputed; chunk sizes in o200k_base tokens), and retrieval
/// quality (nDCG@10, recall@10 at document level) of BM25, vector and hybrid on Debian's man pages.
/// Options: <c>--pages N</c> (labelled pages, default 2000), <c>--queries N</c> (default 500), <c>--quick</c>,
/// <c>--latency-only</c> (skip the quality part), <c>--slowest N</c> (print the N slowest queries of each latency run
/// with the store's stage times of that run: keyword with its plan and term row counts, vector, fusion and document
/// ranking, loading; then each run again, to tell query shape from noise), <c>--passages-only</c> (latency without
/// the document ranking stage, as before it existed).
/// </summary>
public sealed class KnowledgeBench : IBench
{
    private const int Dimensions = 384;
    private readonly HashingEmbeddingGenerator _embedder = new(Dimensions);
    private bool _rankDocuments = true;

    public string Name => "knowledge";

    public async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var pageCount = Option(args, "--pages", quick ? 300 : 2000);
        var queryCount = Option(args, "--queries", quick ? 100 : 500);
        var root = Path.Combine(Path.GetTempPath(), "mw-kb-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            var pages = KnowledgeBenchCorpus.Load("/usr/share/man/man1", pageCount, seed: 7);
            Console.WriteLine($"labelled set: {pages.Count} man pages from /usr/share/man/man1");
            var corpus = Path.Combine(root, "corpus");
            WriteCorpus(corpus, pages);

            // Warm-up (JIT, file cache) on a scratch store, so the first measured ingest is not the cold one.
            await Ingestor(Store(root, "warmup.db"), new KnowledgeEmbedder(_embedder, "test-hashing-384")).IngestAsync(new IngestRequest([corpus]) { }, null, CancellationToken.None);
            var keywordStore = Store(root, "keyword.db");
            var keyword = await Ingestor(keywordStore, KnowledgeEmbedder.None).IngestAsync(new IngestRequest([corpus]), null, CancellationToken.None);
            Console.WriteLine($"ingest keyword-only: {keyword}");
            var hybridStore = Store(root, "hybrid.db");
            var embedded = await Ingestor(hybridStore, new KnowledgeEmbedder(_embedder, "test-hashing-384")).IngestAsync(new IngestRequest([corpus]), null, CancellationToken.None);
            Console.WriteLine($"ingest with test embedder: {embedded}");
            if (args.Contains("--ingest-profile")) await IngestProfileAsync(root, corpus);
            if (args.Contains("--ingest-only"))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["bench"] = "knowledge", ["ingest_chunks_per_s"] = Math.Round(keyword.ChunksPerSecond, 1),
                    ["ingest_chunks_per_s_embedded"] = Math.Round(embedded.ChunksPerSecond, 1), ["pages"] = pages.Count,
                }));
                return 0;
            }

            var quality = pages.Count == 0 || args.Contains("--latency-only") ? null : await QualityAsync(hybridStore, pages, queryCount);
            var ranked = pages.Count == 0 || args.Contains("--latency-only") ? null
                : await QualityAsync(hybridStore, pages, queryCount, DocumentRankingSettings.Default with { PassagesPerDocument = 1 });
            _rankDocuments = !args.Contains("--passages-only");
            var latency = await LatencyAsync(root, pages, 300, Option(args, "--slowest", 0));

            var result = new Dictionary<string, object?>
            {
                ["bench"] = "knowledge",
                ["ingest_chunks_per_s"] = Math.Round(keyword.ChunksPerSecond, 1),
                ["ingest_chunks_per_s_embedded"] = Math.Round(embedded.ChunksPerSecond, 1),
                ["query_p50_ms_10k"] = latency[10_000].P50,
                ["query_p99_ms_10k"] = latency[10_000].P99,
                ["query_p50_ms_100k"] = latency[100_000].P50,
                ["query_p99_ms_100k"] = latency[100_000].P99,
                ["ndcg10_bm25"] = quality?[SearchMode.Keyword].Ndcg,
                ["ndcg10_vector"] = quality?[SearchMode.Vector].Ndcg,
                ["ndcg10_hybrid"] = quality?[SearchMode.Hybrid].Ndcg,
                ["recall10_bm25"] = quality?[SearchMode.Keyword].Recall,
                ["recall10_vector"] = quality?[SearchMode.Vector].Recall,
                ["recall10_hybrid"] = quality?[SearchMode.Hybrid].Recall,
                ["ndcg10_bm25_documents"] = ranked?[SearchMode.Keyword].Ndcg,
                ["ndcg10_hybrid_documents"] = ranked?[SearchMode.Hybrid].Ndcg,
                ["recall10_bm25_documents"] = ranked?[SearchMode.Keyword].Recall,
                ["recall10_hybrid_documents"] = ranked?[SearchMode.Hybrid].Recall,
                ["pages"] = pages.Count,
                ["queries"] = Math.Min(queryCount, pages.Count),
                ["dimensions"] = Dimensions,
            };
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary><c>--ingest-profile</c>: where keyword-only ingest time goes, one stage at a time on one thread:
    /// reading, chunking (token counting), and the store's writes of the chunks already cut.</summary>
    private static async Task IngestProfileAsync(string root, string corpus)
    {
        var files = Directory.GetFiles(corpus).Order(StringComparer.Ordinal).ToList();
        var started = Stopwatch.GetTimestamp();
        var documents = new List<SourceDocument>();
        foreach (var file in files) documents.Add(await DocumentReader.ReadAsync(file, CancellationToken.None));
        var read = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var chunker = new DocumentChunker(new ChunkingOptions(350, 50) { Tokens = Tokens });
        started = Stopwatch.GetTimestamp();
        var chunked = documents.Select(d => (Document: d, Chunks: chunker.Chunk(d))).ToList();
        var chunking = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var store = Store(root, "profile.db");
        await store.GetStatsAsync(CancellationToken.None);
        started = Stopwatch.GetTimestamp();
        foreach (var (document, chunks) in chunked)
            await store.ReplaceDocumentAsync(new DocumentInfo(document.Id, document.Source, document.Title, document.Hash, chunks.Count, document.UpdatedAt), chunks, CancellationToken.None);
        var writing = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var writes = chunked.Select(c => new DocumentWrite(new DocumentInfo(c.Document.Id, c.Document.Source, c.Document.Title, c.Document.Hash, c.Chunks.Count,
            c.Document.UpdatedAt), c.Chunks)).ToList();
        var batchedStore = Store(root, "profile-batched.db");
        await batchedStore.GetStatsAsync(CancellationToken.None);
        started = Stopwatch.GetTimestamp();
        foreach (var batch in writes.Chunk(KnowledgeIngestorBatch)) await batchedStore.ReplaceDocumentsAsync(batch, CancellationToken.None);
        var batched = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var total = chunked.Sum(c => c.Chunks.Count);
        Console.WriteLine($"ingest profile ({total} chunks, one thread): read {read:0.00} s, chunk {chunking:0.00} s ({total / chunking:0} chunks/s), "
            + $"store {writing:0.00} s ({total / writing:0} chunks/s) one document per transaction, {batched:0.00} s ({total / batched:0} chunks/s) "
            + $"{KnowledgeIngestorBatch} per transaction");
    }

    /// <summary>Documents per transaction in the profile's batched writes, as the ingestor's writer batches at most.</summary>
    private const int KnowledgeIngestorBatch = 64;

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    /// <summary>Chunk sizes in real o200k_base tokens, as the host counts them by default.</summary>
    private static readonly Moltworker.Knowledge.Text.ITokenCounter Tokens = Moltworker.Knowledge.Text.TiktokenCounter.For("o200k_base", null);

    private static SqliteKnowledgeStore Store(string root, string file) => new(new FileConnectionFactory(Path.Combine(root, file)));

    private static KnowledgeIngestor Ingestor(IKnowledgeStore store, KnowledgeEmbedder embedder) =>
        new(store, new DocumentChunker(new ChunkingOptions(350, 50) { Tokens = Tokens }), embedder, TimeProvider.System, NullLogger<KnowledgeIngestor>.Instance);

    private static void WriteCorpus(string folder, List<KnowledgeBenchCorpus.Page> pages)
    {
        Directory.CreateDirectory(folder);
        foreach (var page in pages) File.WriteAllText(Path.Combine(folder, page.Name + ".md"), $"# {page.Name}\n{page.Text}");
    }

    private async Task<Dictionary<SearchMode, (double Ndcg, double Recall)>> QualityAsync(IKnowledgeStore store, List<KnowledgeBenchCorpus.Page> pages, int queries,
        DocumentRankingSettings? ranking = null)
    {
        var sample = pages.Take(queries).ToList();
        var totals = new Dictionary<SearchMode, (double Ndcg, double Recall)>();
        foreach (var mode in new[] { SearchMode.Keyword, SearchMode.Vector, SearchMode.Hybrid })
        {
            double ndcg = 0, recall = 0;
            foreach (var page in sample)
            {
                var request = new SearchRequest(page.Summary, ranking is null ? 50 : 10)
                {
                    Vector = _embedder.Embed(page.Summary), Mode = mode, Candidates = 100, Documents = ranking,
                };
                var documents = (await store.SearchAsync(request, CancellationToken.None))
                    .Select(h => Path.GetFileNameWithoutExtension(h.Chunk.Source)).Distinct().Take(10).ToList();
                var rank = documents.IndexOf(page.Name);
                if (rank >= 0)
                {
                    ndcg += 1 / Math.Log2(rank + 2);
                    recall += 1;
                }
            }
            totals[mode] = (Math.Round(ndcg / sample.Count, 4), Math.Round(recall / sample.Count, 4));
            Console.WriteLine($"quality {mode}{(ranking is null ? " passages" : " documents")}: nDCG@10 {totals[mode].Ndcg:0.0000}, recall@10 {totals[mode].Recall:0.0000} over {sample.Count} queries");
        }
        return totals;
    }

    /// <summary>Synthetic chunks (words drawn from the man pages' vocabulary) with 384-dimension vectors; hybrid
    /// queries of three words measured at 10k and at 100k chunks.</summary>
    private async Task<Dictionary<int, (double P50, double P99)>> LatencyAsync(string root, List<KnowledgeBenchCorpus.Page> pages, int queries, int slowest)
    {
        var vocabulary = pages.SelectMany(p => p.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length > 2 && w.All(char.IsLetter)).Select(w => w.ToLowerInvariant()).ToList();
        if (vocabulary.Count < 1000) vocabulary = Enumerable.Range(0, 20_000).Select(i => "term" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var distinct = vocabulary.Distinct().ToList();
        var random = new Random(11);
        var store = Store(root, "latency.db");
        var results = new Dictionary<int, (double, double)>();
        var inserted = 0;
        var stopwatch = Stopwatch.StartNew();
        foreach (var target in new[] { 10_000, 100_000 })
        {
            while (inserted < target)
            {
                var documentId = $"synthetic{inserted / 100}";
                var chunks = Enumerable.Range(0, 100).Select(i =>
                {
                    var text = string.Join(' ', Enumerable.Range(0, 120).Select(_ => vocabulary[random.Next(vocabulary.Count)]));
                    return new KnowledgeChunk
                    {
                        DocumentId = documentId, Source = $"/synthetic/{documentId}.md", Title = documentId, Position = i, Text = text,
                        UpdatedAt = DateTimeOffset.UnixEpoch, End = text.Length, Vector = _embedder.Embed(text),
                    };
                }).ToList();
                await store.ReplaceDocumentAsync(new DocumentInfo(documentId, $"/synthetic/{documentId}.md", documentId, "h", chunks.Count, DateTimeOffset.UnixEpoch), chunks, CancellationToken.None);
                inserted += chunks.Count;
            }
            Console.WriteLine($"latency store: {inserted} chunks after {stopwatch.Elapsed.TotalSeconds:0.0} s");
            foreach (var mode in new[] { SearchMode.Keyword, SearchMode.Vector, SearchMode.Hybrid })
            {
                var timed = new List<(double Ms, string Text, SearchTimings Stages)>();
                for (var q = -20; q < queries; q++)
                {
                    var text = string.Join(' ', Enumerable.Range(0, 3).Select(_ => distinct[random.Next(distinct.Count)]));
                    var stages = new SearchTimings();
                    var elapsed = await TimeSearchAsync(store, text, mode, timings: stages);
                    if (q >= 0) timed.Add((elapsed, text, stages));
                }
                foreach (var (ms, text, stages) in timed.OrderByDescending(t => t.Ms).Take(slowest))
                {
                    var again = await TimeSearchAsync(store, text, mode);
                    var passages = await TimeSearchAsync(store, text, mode, rankDocuments: false);
                    Console.WriteLine($"  slow {mode}: {ms:0.0} ms '{text}': {stages}; again: {again:0.0} ms, without document ranking {passages:0.0} ms");
                }
                var timings = timed.Select(t => t.Ms).Order().ToList();
                var (p50, p99) = (Math.Round(timings[timings.Count / 2], 2), Math.Round(timings[(int)Math.Ceiling(timings.Count * 0.99) - 1], 2));
                Console.WriteLine($"{mode} query at {target} chunks: p50 {p50} ms, p99 {p99} ms ({queries} queries)");
                if (mode == SearchMode.Hybrid) results[target] = (p50, p99);
            }
        }
        return results;
    }

    private async Task<double> TimeSearchAsync(IKnowledgeStore store, string text, SearchMode mode, bool? rankDocuments = null, SearchTimings? timings = null)
    {
        // As the host searches: documents ranked by all their evidence (DocumentRankingSettings.Default).
        var request = new SearchRequest(text, 10)
        {
            Vector = _embedder.Embed(text), Mode = mode, Candidates = 40, Documents = (rankDocuments ?? _rankDocuments) ? DocumentRankingSettings.Default : null,
            Timings = timings,
        };
        var started = Stopwatch.GetTimestamp();
        await store.SearchAsync(request, CancellationToken.None);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
