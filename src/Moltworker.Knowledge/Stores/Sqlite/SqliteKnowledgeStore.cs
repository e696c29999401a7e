using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.State;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Questions;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>
/// The embedded store: documents and chunks in SQLite, FTS5 (<c>porter unicode61</c>) for BM25, float32
/// vectors as BLOBs mirrored in memory by <see cref="VectorIndex"/> for SIMD brute-force search, and the two
/// rankings fused by reciprocal rank fusion; with <see cref="SearchRequest.Documents"/>, documents ranked by all their
/// evidence (<see cref="DocumentRanking"/>, over the document-level index <see cref="DocumentIndex"/>). BM25 top-k skips rows with only common terms when they cannot rank
/// (<see cref="Bm25TopK"/>). Writes are serialized in-process; WAL lets searches run meanwhile.
/// </summary>
public sealed class SqliteKnowledgeStore(IKnowledgeConnectionFactory connections) : IKnowledgeStore
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private readonly VectorIndex _index = new();

    /// <summary>The keyword ranking; tests give it small thresholds so that pruning runs on small sets.</summary>
    internal Bm25TopK Keyword { get; init; } = new();

    public string Kind => "sqlite";

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => connections.OpenAsync(cancellationToken);

    public async Task<DocumentInfo?> GetDocumentAsync(string documentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, source, title, hash, chunk_count, updated_at, tags FROM kb_documents WHERE id = $id";
        command.Parameters.AddWithValue("$id", documentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDocument(reader) : null;
    }

    public async Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string? sourcePrefix, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = ChunkRows.FilterSql(command, new SearchFilter { Source = sourcePrefix }).Replace("c.source", "source");
        command.CommandText = $"SELECT id, source, title, hash, chunk_count, updated_at, tags FROM kb_documents WHERE 1=1{where} ORDER BY source";
        var list = new List<DocumentInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) list.Add(ReadDocument(reader));
        return list;
    }

    public Task ReplaceDocumentAsync(DocumentInfo document, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken) =>
        ReplaceDocumentsAsync([new DocumentWrite(document, chunks)], cancellationToken);

    /// <summary>All the documents in one transaction: one commit, and one new FTS5 segment per index for the batch
    /// instead of one per document, so FTS5 merges far less during a bulk ingest.</summary>
    public async Task ReplaceDocumentsAsync(IReadOnlyList<DocumentWrite> documents, CancellationToken cancellationToken)
    {
        if (documents.Count == 0) return;
        await WriteAsync(async (connection, transaction, added) =>
        {
            var removed = new List<long>();
            await using var insert = ChunkRows.InsertCommand(connection, transaction);
            foreach (var (document, chunks) in documents)
                removed.AddRange(await ReplaceOneAsync(connection, transaction, insert, document, chunks, added, cancellationToken));
            return removed;
        }, cancellationToken);
    }

    private static async Task<List<long>> ReplaceOneAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteCommand insert,
        DocumentInfo document, IReadOnlyList<KnowledgeChunk> chunks, List<VectorEntry> added, CancellationToken cancellationToken)
    {
        var removed = await DeleteChunksAsync(connection, transaction, document.Id, cancellationToken);
        if (removed.Count > 0 && added.Count > 0)
        {
            // The same document twice in one batch: its first chunks never reach the vector index.
            var gone = removed.ToHashSet();
            added.RemoveAll(a => gone.Contains(a.Id));
        }
        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO kb_documents(id, source, title, hash, tags, chunk_count, updated_at, ingested_at)
                VALUES ($id, $source, $title, $hash, $tags, $count, $updated, $ingested)
                ON CONFLICT(id) DO UPDATE SET source = excluded.source, title = excluded.title, hash = excluded.hash,
                    tags = excluded.tags, chunk_count = excluded.chunk_count, updated_at = excluded.updated_at,
                    ingested_at = excluded.ingested_at
                """;
            upsert.Parameters.AddWithValue("$id", document.Id);
            upsert.Parameters.AddWithValue("$source", document.Source);
            upsert.Parameters.AddWithValue("$title", document.Title);
            upsert.Parameters.AddWithValue("$hash", document.Hash);
            upsert.Parameters.AddWithValue("$tags", ChunkRows.JoinTags(document.Tags));
            upsert.Parameters.AddWithValue("$count", chunks.Count);
            upsert.Parameters.AddWithValue("$updated", ChunkRows.Time(document.UpdatedAt));
            upsert.Parameters.AddWithValue("$ingested", ChunkRows.Time(DateTimeOffset.UtcNow));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var chunk in chunks)
        {
            ChunkRows.Bind(insert, chunk);
            var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
            if (chunk.Vector is { } vector) added.Add(new VectorEntry(id, chunk.Source, chunk.Tags.ToArray(), vector));
        }
        await DocumentIndex.ReplaceAsync(connection, transaction, document, chunks, cancellationToken);
        return removed;
    }

    public async Task<bool> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken)
    {
        var existed = false;
        await WriteAsync(async (connection, transaction, _) =>
        {
            var removed = await DeleteChunksAsync(connection, transaction, documentId, cancellationToken);
            await DocumentIndex.DeleteAsync(connection, transaction, documentId, cancellationToken);
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM kb_documents WHERE id = $id";
            delete.Parameters.AddWithValue("$id", documentId);
            existed = await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
            return removed;
        }, cancellationToken);
        return existed;
    }

    /// <summary>Runs one write transaction, bumps the generation and mirrors vector changes in the index.</summary>
    private async Task WriteAsync(Func<SqliteConnection, SqliteTransaction, List<VectorEntry>, Task<List<long>>> write, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var added = new List<VectorEntry>();
            var removed = await write(connection, transaction, added);
            await using var bump = connection.CreateCommand();
            bump.Transaction = transaction;
            bump.CommandText = "UPDATE kb_meta SET value = value + 1 WHERE key = 'generation' RETURNING value";
            var generation = (long)(await bump.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            _index.Apply(removed, added, generation - 1, generation);
        }
        catch (SqliteException ex)
        {
            _index.Invalidate();
            throw new StorageException($"The knowledge database could not be written: {ex.Message}", ex);
        }
        finally { _writeGate.Release(); }
    }

    private static async Task<List<long>> DeleteChunksAsync(SqliteConnection connection, SqliteTransaction transaction, string documentId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM kb_chunks WHERE document_id = $id RETURNING id";
        command.Parameters.AddWithValue("$id", documentId);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt64(0));
        return ids;
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var mode = request.Mode == SearchMode.Auto ? (request.Vector is null ? SearchMode.Keyword : SearchMode.Hybrid) : request.Mode;
        if (mode != SearchMode.Keyword && request.Vector is null) mode = SearchMode.Keyword;
        var candidates = mode == SearchMode.Hybrid || request.Documents is not null ? Math.Max(request.Candidates, request.Top) : request.Top;

        await using var connection = await OpenAsync(cancellationToken);
        // The two rankings run at the same time: BM25 in SQLite on this thread, the vector scan on the pool.
        Task<List<(long Id, float Score)>> vectorTask = Task.FromResult(new List<(long Id, float Score)>());
        if (mode is SearchMode.Vector or SearchMode.Hybrid)
        {
            await EnsureIndexAsync(connection, cancellationToken);
            var filter = SqliteSearch.VectorFilter(request.Filter);
            var timings = request.Timings;
            List<(long Id, float Score)> Scan()
            {
                var started = Stopwatch.GetTimestamp();
                var found = _index.Search(request.Vector!, candidates, filter);
                if (timings is not null) timings.VectorMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return found;
            }
            vectorTask = mode == SearchMode.Vector ? Task.FromResult(Scan()) : Task.Run(Scan, cancellationToken);
        }
        // The document-level evidence does not depend on the passage ranking: it is looked up on a connection of its
        // own on the pool meanwhile (in another snapshot than this one; a write committed in between only shifts scores).
        var analyzed = request.Documents is null ? null : QueryAnalyzer.Analyze(request.Text);
        var evidenceTask = Task.FromResult(DocumentRanking.Evidence.None);
        if (request.Documents is { } wanted && DocumentRanking.NeedsEvidence(analyzed!, mode))
        {
            var evidenceRequest = request with { Mode = mode };
            async Task<DocumentRanking.Evidence> FindAsync()
            {
                var started = Stopwatch.GetTimestamp();
                await using var second = await OpenAsync(cancellationToken);
                var found = await DocumentRanking.FindEvidenceAsync(second, analyzed!, evidenceRequest, wanted, cancellationToken);
                if (evidenceRequest.Timings is { } t) t.DocumentEvidenceMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return found;
            }
            evidenceTask = Task.Run(FindAsync, cancellationToken);
        }
        var stage = Stopwatch.GetTimestamp();
        List<(long Id, double Score)> keyword = [];
        if (mode is SearchMode.Keyword or SearchMode.Hybrid)
            keyword = await Keyword.SearchAsync(connection, request.Text, request.Filter, candidates, cancellationToken, exact: mode == SearchMode.Keyword, request.Timings);
        if (request.Timings is { } keywordTimings) keywordTimings.KeywordMs = Stopwatch.GetElapsedTime(stage).TotalMilliseconds;
        var vector = await vectorTask;
        stage = Stopwatch.GetTimestamp();

        List<(long Id, double Score)> ranked = mode switch
        {
            SearchMode.Keyword => keyword,
            SearchMode.Vector => vector.Select(v => (v.Id, (double)v.Score)).ToList(),
            _ => RrfFusion.Fuse([keyword.Select(k => k.Id).ToList(), vector.Select(v => v.Id).ToList()], request.RrfK),
        };
        if (request.Documents is { } settings)
            ranked = await DocumentRanking.RankAsync(connection, analyzed!, ranked, await evidenceTask, request with { Mode = mode }, settings, cancellationToken);
        var top = ranked.Take(request.Top).ToList();
        if (request.Timings is { } fusionTimings) fusionTimings.FusionMs = Stopwatch.GetElapsedTime(stage).TotalMilliseconds;
        stage = Stopwatch.GetTimestamp();
        var chunks = await SqliteSearch.LoadChunksAsync(connection, top.Select(t => t.Id).ToList(), cancellationToken);
        if (request.Timings is { } loadTimings) loadTimings.LoadMs = Stopwatch.GetElapsedTime(stage).TotalMilliseconds;
        var keywordRanks = Ranks(keyword.Select(k => k.Id));
        var vectorRanks = Ranks(vector.Select(v => v.Id));
        return top.Where(t => chunks.ContainsKey(t.Id)).Select((t, i) => new SearchHit(i + 1, t.Score, chunks[t.Id])
        {
            KeywordRank = keywordRanks.TryGetValue(t.Id, out var kr) ? kr : null,
            VectorRank = vectorRanks.TryGetValue(t.Id, out var vr) ? vr : null,
        }).ToList();
    }

    private static Dictionary<long, int> Ranks(IEnumerable<long> ids) =>
        ids.Select((id, i) => (id, i + 1)).ToDictionary(p => p.id, p => p.Item2);

    /// <summary>Loads the vector index when it is empty or another writer moved the generation on.</summary>
    private async Task EnsureIndexAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var generation = await SqliteSearch.GenerationAsync(connection, cancellationToken);
        if (_index.Generation == generation) return;
        await _loadGate.WaitAsync(cancellationToken);
        try
        {
            generation = await SqliteSearch.GenerationAsync(connection, cancellationToken);
            if (_index.Generation == generation) return;
            _index.Load(await SqliteSearch.LoadVectorsAsync(connection, cancellationToken), generation);
        }
        finally { _loadGate.Release(); }
    }

    public async Task<KnowledgeStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM kb_documents), (SELECT COUNT(*) FROM kb_chunks),
                   (SELECT COUNT(*) FROM kb_chunks WHERE vector IS NOT NULL)
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new KnowledgeStats(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task<HealthEntry> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stats = await GetStatsAsync(cancellationToken);
            return new HealthEntry(true, new { store = Kind, documents = stats.Documents, chunks = stats.Chunks, vectors = stats.Vectors });
        }
        catch (Exception ex) when (ex is SqliteException or StorageException)
        {
            return new HealthEntry(false, new { store = Kind }, $"The knowledge database cannot be read: {ex.Message}");
        }
    }

    private static DocumentInfo ReadDocument(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
        ChunkRows.ParseTime(reader.GetString(5)))
    {
        Tags = ChunkRows.SplitTags(reader.GetString(6)),
    };
}
