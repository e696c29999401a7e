using Microsoft.Data.Sqlite;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>The read queries of <see cref="SqliteKnowledgeStore"/>: BM25 over FTS5, term counts, vector loading, hydration.</summary>
internal static class SqliteSearch
{
    /// <summary>Column weights for bm25(): title, headings, text.</summary>
    private const string Bm25Weights = "2.0, 2.0, 1.0";

    /// <summary>The rows matching <paramref name="match"/>, best first; the score is -bm25() so that higher is better.</summary>
    public static async Task<List<(long Id, double Score)>> RankAsync(SqliteConnection connection, SqliteTransaction? transaction, string match, SearchFilter filter, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var where = ChunkRows.FilterSql(command, filter);
        // Without a filter FTS5 ranks and limits on its own (no join per matching row): much faster on large sets.
        command.CommandText = where.Length == 0
            ? $"""
              SELECT rowid, rank FROM kb_fts
              WHERE kb_fts MATCH $match AND rank MATCH 'bm25({Bm25Weights})'
              ORDER BY rank
              LIMIT $limit
              """
            : $"""
              SELECT c.id, bm25(kb_fts, {Bm25Weights}) AS score
              FROM kb_fts JOIN kb_chunks c ON c.id = kb_fts.rowid
              WHERE kb_fts MATCH $match{where}
              ORDER BY score, c.id
              LIMIT $limit
              """;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<(long, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) list.Add((reader.GetInt64(0), -reader.GetDouble(1)));
        return list;
    }

    /// <summary>How many rows contain each phrase, counted up to <paramref name="cap"/> (FTS5 tokenizes and stems
    /// the phrase itself, so this agrees with what bm25() counts). One statement for all phrases.</summary>
    public static async Task<long[]> DocumentFrequenciesAsync(SqliteConnection connection, SqliteTransaction? transaction, IReadOnlyList<string> phrases, long cap, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var columns = new List<string>();
        for (var i = 0; i < phrases.Count; i++)
        {
            columns.Add($"(SELECT count(*) FROM (SELECT 1 FROM kb_fts WHERE kb_fts MATCH $p{i} LIMIT $cap))");
            command.Parameters.AddWithValue($"$p{i}", phrases[i]);
        }
        command.Parameters.AddWithValue("$cap", cap);
        command.CommandText = "SELECT " + string.Join(", ", columns);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Enumerable.Range(0, phrases.Count).Select(reader.GetInt64).ToArray();
    }

    public static async Task<long> CountChunksAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM kb_chunks";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static Func<VectorEntry, bool>? VectorFilter(SearchFilter filter)
    {
        if (filter.IsEmpty) return null;
        var tags = filter.Tags.ToHashSet(StringComparer.Ordinal);
        var source = filter.Source;
        return entry =>
            (tags.Count == 0 || entry.Tags.Any(tags.Contains)) &&
            (string.IsNullOrEmpty(source) || SearchFilter.SourceMatches(entry.Source, source));
    }

    public static async Task<long> GenerationAsync(SqliteConnection connection, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM kb_meta WHERE key = 'generation'";
        return (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }

    public static async Task<List<VectorEntry>> LoadVectorsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, source, tags, vector FROM kb_chunks WHERE vector IS NOT NULL ORDER BY id";
        var list = new List<VectorEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new VectorEntry(reader.GetInt64(0), reader.GetString(1), ChunkRows.SplitTags(reader.GetString(2)),
                ChunkRows.FromBlob((byte[])reader.GetValue(3))));
        }
        return list;
    }

    public static async Task<Dictionary<long, KnowledgeChunk>> LoadChunksAsync(SqliteConnection connection, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, KnowledgeChunk>();
        if (ids.Count == 0) return result;
        await using var command = connection.CreateCommand();
        var names = new List<string>();
        for (var i = 0; i < ids.Count; i++)
        {
            names.Add($"$id{i}");
            command.Parameters.AddWithValue($"$id{i}", ids[i]);
        }
        command.CommandText = $"SELECT {ChunkRows.Columns} FROM kb_chunks WHERE id IN ({string.Join(',', names)})";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, chunk) = ChunkRows.Read(reader);
            result[id] = chunk;
        }
        return result;
    }
}
