using System.Text;
using Microsoft.Data.Sqlite;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>
/// The document-level FTS5 index (<c>kb_doc_fts</c>, one row per document keyed by <c>kb_doc_keys</c>): written in
/// the same transaction as the document's chunks, read by <see cref="DocumentRanking"/>.
/// </summary>
internal static class DocumentIndex
{
    /// <summary>Column weights for the document-level bm25(): title, headings, text.</summary>
    public const string Weights = "4.0, 2.0, 1.0";

    /// <summary>Replaces the document's row: its title, every heading, and the text of its chunks without overlap.</summary>
    public static async Task ReplaceAsync(SqliteConnection connection, SqliteTransaction transaction, DocumentInfo document,
        IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(connection, transaction, document.Id, create: true, cancellationToken);
        await DeleteRowAsync(connection, transaction, key!.Value, cancellationToken);
        var headings = new StringBuilder();
        var text = new StringBuilder();
        string? previous = null;
        foreach (var chunk in chunks)
        {
            var heading = chunk.HeadingText;
            if (heading != previous) headings.Append(heading).Append('\n');
            previous = heading;
            var skip = Math.Clamp(chunk.Start - chunk.TextStart, 0, chunk.Text.Length);
            text.Append(chunk.Text.AsSpan(skip)).Append('\n');
        }
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO kb_doc_fts(rowid, title, headings, text) VALUES ($key, $title, $headings, $text)";
        insert.Parameters.AddWithValue("$key", key.Value);
        insert.Parameters.AddWithValue("$title", document.Title);
        insert.Parameters.AddWithValue("$headings", headings.ToString());
        insert.Parameters.AddWithValue("$text", text.ToString());
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task DeleteAsync(SqliteConnection connection, SqliteTransaction transaction, string documentId, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(connection, transaction, documentId, create: false, cancellationToken);
        if (key is null) return;
        await DeleteRowAsync(connection, transaction, key.Value, cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM kb_doc_keys WHERE key = $key";
        command.Parameters.AddWithValue("$key", key.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>From this many documents on, <see cref="InformativePhrasesAsync"/> leaves common phrases out.</summary>
    public const long PruneFromDocuments = 100;

    /// <summary>
    /// The phrases that can move the document-level bm25(): with at least <see cref="PruneFromDocuments"/> documents,
    /// those found in fewer than half of them. FTS5 gives a term in half or more of the rows an idf of 1e-6
    /// (fts5_aux.c), so it adds next to nothing to a document that also holds a rarer term, while an OR query over it
    /// scores every document that holds it: most of them, and whole documents are long (at 1,000 documents of 12,000
    /// words a query with one such term took 40 ms). When every phrase is common, all are kept: the ranking is then
    /// all in those tiny scores.
    /// </summary>
    public static async Task<IReadOnlyList<string>> InformativePhrasesAsync(SqliteConnection connection, IReadOnlyList<string> phrases,
        CancellationToken cancellationToken)
    {
        if (phrases.Count < 2) return phrases;
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM kb_doc_keys";
        var documents = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (documents < PruneFromDocuments) return phrases;

        var columns = new List<string>();
        for (var i = 0; i < phrases.Count; i++)
        {
            columns.Add($"(SELECT count(*) FROM (SELECT 1 FROM kb_doc_fts WHERE kb_doc_fts MATCH $p{i} LIMIT $cap))");
            command.Parameters.AddWithValue($"$p{i}", phrases[i]);
        }
        command.Parameters.AddWithValue("$cap", documents / 2 + 1);
        command.CommandText = "SELECT " + string.Join(", ", columns);
        var informative = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            for (var i = 0; i < phrases.Count; i++)
                if (reader.GetInt64(i) * 2 < documents) informative.Add(phrases[i]); // idf > 0 exactly when n < N/2
        }
        return informative.Count > 0 ? informative : phrases;
    }

    /// <summary>The best documents for an FTS5 MATCH expression, as (document id, -bm25) best first.</summary>
    public static async Task<List<(string DocumentId, double Score)>> RankAsync(SqliteConnection connection, SqliteTransaction? transaction,
        string match, SearchFilter filter, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var where = ChunkRows.FilterSql(command, filter).Replace("c.", "d.", StringComparison.Ordinal);
        command.CommandText = where.Length == 0
            ? $"""
              SELECT k.document_id, f.rank FROM kb_doc_fts f JOIN kb_doc_keys k ON k.key = f.rowid
              WHERE kb_doc_fts MATCH $match AND f.rank MATCH 'bm25({Weights})'
              ORDER BY f.rank LIMIT $limit
              """
            : $"""
              SELECT k.document_id, bm25(kb_doc_fts, {Weights}) AS score
              FROM kb_doc_fts f JOIN kb_doc_keys k ON k.key = f.rowid JOIN kb_documents d ON d.id = k.document_id
              WHERE kb_doc_fts MATCH $match{where}
              ORDER BY score LIMIT $limit
              """;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<(string, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) list.Add((reader.GetString(0), -reader.GetDouble(1)));
        return list;
    }

    private static async Task DeleteRowAsync(SqliteConnection connection, SqliteTransaction transaction, long key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM kb_doc_fts WHERE rowid = $key";
        command.Parameters.AddWithValue("$key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long?> KeyAsync(SqliteConnection connection, SqliteTransaction transaction, string documentId, bool create, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = create
            ? "INSERT INTO kb_doc_keys(document_id) VALUES ($id) ON CONFLICT(document_id) DO UPDATE SET document_id = excluded.document_id RETURNING key"
            : "SELECT key FROM kb_doc_keys WHERE document_id = $id";
        command.Parameters.AddWithValue("$id", documentId);
        return await command.ExecuteScalarAsync(cancellationToken) is long key ? key : null;
    }
}
