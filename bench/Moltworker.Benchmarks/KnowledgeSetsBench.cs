using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Knowledge.Chunking;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Reranking;
using Moltworker.Knowledge.Stores.Sqlite;
using Moltworker.Knowledge.Text;
using Moltworker.Testing.Knowledge;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>knowledge-sets</c>: retrieval quality on the Debian evaluation sets (natural-language questions, whole documents
/// as answers, thousands of distractors). The documents come from <c>bench/knowledge-sets/build_corpus.py</c>
/// (<c>--corpus DIR</c>, default /tmp/kbsets), the questions from <c>bench/knowledge-sets/*.questions.tsv</c>; every
/// set also gets <c>--distractors N</c> (default 5000) Debian manual pages. Reports recall@10, MRR@10 and nDCG@10 of
/// a plain document-level FTS5 BM25 baseline (porter, OR of the question's words, one row per document), of the old
/// passage ranking, and of the document ranking, all keyword-only; and of the document ranking reranked (top 30) by
/// <see cref="RerankTestServer"/> on loopback, a lexical stand-in for a cross-encoder behind the /rerank API.
/// </summary>
public sealed class KnowledgeSetsBench : IBench
{
    public string Name => "knowledge-sets";

    public async Task<int> RunAsync(string[] args)
    {
        var corpus = Option(args, "--corpus") ?? "/tmp/kbsets";
        var distractorCount = int.TryParse(Option(args, "--distractors"), out var d) ? d : 5000;
        var questionsFolder = Option(args, "--questions") ?? Path.Combine(RepositoryRoot(), "bench", "knowledge-sets");
        var distractors = Distractors(distractorCount);
        var variants = args.Contains("--variants") ? Variants : [];
        var result = new Dictionary<string, object?> { ["bench"] = Name, ["distractor_man_pages"] = distractors.Count };
        foreach (var questionsFile in Directory.GetFiles(questionsFolder, "*.questions.tsv").Order(StringComparer.Ordinal))
        {
            var set = Path.GetFileName(questionsFile).Replace(".questions.tsv", "");
            var setFolder = Path.Combine(corpus, set);
            if (!Directory.Exists(setFolder))
            {
                Console.Error.WriteLine($"{setFolder} is missing: run bench/knowledge-sets/build_corpus.py {corpus}");
                return 2;
            }
            var questions = File.ReadAllLines(questionsFile).Where(l => l.Contains('\t'))
                .Select(l => l.Split('\t')).Select(p => (Question: p[0], Relevant: p[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet())).ToList();
            var scores = await EvaluateSetAsync(setFolder, distractors, questions, variants);
            foreach (var (system, metrics) in scores)
            {
                Console.WriteLine($"{set} {system}: recall@10 {metrics.Recall:0.000}, MRR@10 {metrics.Mrr:0.000}, nDCG@10 {metrics.Ndcg:0.000} ({questions.Count} questions)");
                result[$"{set}_{system}"] = new { recall10 = metrics.Recall, mrr10 = metrics.Mrr, ndcg10 = metrics.Ndcg };
            }
            result[$"{set}_document_count"] = Directory.GetFiles(setFolder, "*.md").Length + distractors.Count;
            result[$"{set}_questions"] = questions.Count;
        }
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Moltworker.sln"))) root = root.Parent;
        return root?.FullName ?? throw new DirectoryNotFoundException("Moltworker.sln not found above the benchmark folder");
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Weight variants printed with <c>--variants</c>, to see how much each kind of evidence matters.</summary>
    private static readonly (string Name, DocumentRankingSettings Settings)[] Variants =
    [
        ("variant_no_document_bm25", DocumentRankingSettings.Default with { Document = 0 }),
        ("variant_document_0.5", DocumentRankingSettings.Default with { Document = 0.5 }),
        ("variant_document_2", DocumentRankingSettings.Default with { Document = 2 }),
        ("variant_no_spread", DocumentRankingSettings.Default with { Spread = 0 }),
        ("variant_no_proximity", DocumentRankingSettings.Default with { Proximity = 0 }),
        ("variant_proximity_1", DocumentRankingSettings.Default with { Proximity = 1 }),
    ];

    /// <summary>English manual pages from sections 1, 8, 5, 7, 3, 2, 4 and 6 (distinct names), until <paramref name="count"/>.</summary>
    private static List<KnowledgeBenchCorpus.Page> Distractors(int count)
    {
        var pages = new List<KnowledgeBenchCorpus.Page>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in new[] { "man1", "man8", "man5", "man7", "man3", "man2", "man4", "man6" })
        {
            if (pages.Count >= count) break;
            foreach (var page in KnowledgeBenchCorpus.Load("/usr/share/man/" + section, count, seed: 7))
                if (pages.Count < count && names.Add(page.Name)) pages.Add(page);
        }
        return pages;
    }

    private static async Task<Dictionary<string, Metrics>> EvaluateSetAsync(string setFolder, List<KnowledgeBenchCorpus.Page> distractors,
        List<(string Question, HashSet<string> Relevant)> questions, (string Name, DocumentRankingSettings Settings)[] variants)
    {
        var root = Path.Combine(Path.GetTempPath(), "mw-kb-sets-" + Guid.NewGuid().ToString("N")[..8]);
        var documents = Path.Combine(root, "documents");
        Directory.CreateDirectory(documents);
        try
        {
            foreach (var file in Directory.GetFiles(setFolder, "*.md")) File.Copy(file, Path.Combine(documents, Path.GetFileName(file)));
            foreach (var page in distractors) File.WriteAllText(Path.Combine(documents, "man__" + page.Name + ".md"), $"# {page.Name}\n\n{page.Summary}\n{page.Text}");

            var store = new SqliteKnowledgeStore(new FileConnectionFactory(Path.Combine(root, "kb.db")));
            var ingestor = new KnowledgeIngestor(store, new DocumentChunker(new ChunkingOptions(350, 50) { Tokens = TiktokenCounter.For("o200k_base", null) }), KnowledgeEmbedder.None, TimeProvider.System, NullLogger<KnowledgeIngestor>.Instance);
            Console.WriteLine($"ingest {Path.GetFileName(setFolder)}: {await ingestor.IngestAsync(new IngestRequest([documents]), null, CancellationToken.None)}");
            await using var baseline = await BaselineAsync(Path.Combine(root, "baseline.db"), documents);

            await using var rerankServer = await RerankTestServer.StartAsync();
            var rerankOptions = new RerankingOptions { BaseUrl = rerankServer.BaseUrl, Model = "lexical-stand-in", TopN = 30, Timeout = TimeSpan.FromSeconds(10) };
            var reranking = new RerankingStage(new HttpReranker(new HttpClient(), rerankOptions), rerankOptions, NullLogger<RerankingStage>.Instance);
            var runs = new Dictionary<string, List<List<string>>> { ["fts5_document_bm25"] = [], ["passages"] = [], ["documents"] = [], ["documents_reranked"] = [] };
            foreach (var (question, _) in questions)
            {
                runs["fts5_document_bm25"].Add(await BaselineSearchAsync(baseline, question));
                var passages = await store.SearchAsync(new SearchRequest(question, 50) { Candidates = 100, Mode = SearchMode.Keyword }, CancellationToken.None);
                runs["passages"].Add(Names(passages));
                var ranked = await store.SearchAsync(new SearchRequest(question, 10)
                {
                    Candidates = 100, Mode = SearchMode.Keyword, Documents = DocumentRankingSettings.Default with { PassagesPerDocument = 1 },
                }, CancellationToken.None);
                runs["documents"].Add(Names(ranked));
                var candidates = await store.SearchAsync(new SearchRequest(question, rerankOptions.TopN)
                {
                    Candidates = 100, Mode = SearchMode.Keyword, Documents = DocumentRankingSettings.Default with { PassagesPerDocument = 1 },
                }, CancellationToken.None);
                var (reranked, failure) = await reranking.RerankAsync(question, candidates, rerankOptions.TopN, CancellationToken.None);
                if (failure is not null) throw new InvalidOperationException(failure);
                runs["documents_reranked"].Add(Names(reranked));
                foreach (var (name, settings) in variants)
                {
                    if (!runs.ContainsKey(name)) runs[name] = [];
                    runs[name].Add(Names(await store.SearchAsync(new SearchRequest(question, 10)
                    {
                        Candidates = 100, Mode = SearchMode.Keyword, Documents = settings with { PassagesPerDocument = 1 },
                    }, CancellationToken.None)));
                }
            }
            return runs.ToDictionary(r => r.Key, r => Metrics.Of(r.Value, questions.Select(q => q.Relevant).ToList()));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static List<string> Names(IEnumerable<SearchHit> hits) =>
        hits.Select(h => Path.GetFileNameWithoutExtension(h.Chunk.Source)).Distinct().Take(10).ToList();

    /// <summary>The baseline: one FTS5 row per document (its whole text), porter tokenizer, default bm25().</summary>
    private static async Task<SqliteConnection> BaselineAsync(string path, string documents)
    {
        var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE VIRTUAL TABLE docs USING fts5(name UNINDEXED, body, tokenize='porter unicode61')";
            await create.ExecuteNonQueryAsync();
        }
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO docs(name, body) VALUES ($name, $body)";
        foreach (var file in Directory.GetFiles(documents, "*.md"))
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$name", Path.GetFileNameWithoutExtension(file));
            insert.Parameters.AddWithValue("$body", await File.ReadAllTextAsync(file));
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return connection;
    }

    private static async Task<List<string>> BaselineSearchAsync(SqliteConnection connection, string question)
    {
        var words = question.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant()).Where(w => w.Length > 0).Distinct();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM docs WHERE docs MATCH $match ORDER BY rank LIMIT 10";
        command.Parameters.AddWithValue("$match", string.Join(" OR ", words.Select(w => "\"" + w + "\"")));
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    private sealed record Metrics(double Recall, double Mrr, double Ndcg)
    {
        public static Metrics Of(List<List<string>> runs, List<HashSet<string>> relevant)
        {
            double recall = 0, mrr = 0, ndcg = 0;
            for (var q = 0; q < runs.Count; q++)
            {
                var top = runs[q].Take(10).ToList();
                var hits = top.Select(relevant[q].Contains).ToList();
                recall += (double)hits.Count(h => h) / relevant[q].Count;
                var first = hits.IndexOf(true);
                mrr += first < 0 ? 0 : 1.0 / (first + 1);
                var dcg = hits.Select((h, i) => h ? 1 / Math.Log2(i + 2) : 0).Sum();
                var ideal = Enumerable.Range(0, Math.Min(10, relevant[q].Count)).Sum(i => 1 / Math.Log2(i + 2));
                ndcg += dcg / ideal;
            }
            return new Metrics(Math.Round(recall / runs.Count, 4), Math.Round(mrr / runs.Count, 4), Math.Round(ndcg / runs.Count, 4));
        }
    }
}
