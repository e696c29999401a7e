using Microsoft.Data.Sqlite;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Questions;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>
/// Ranks documents by all of their evidence (see <see cref="DocumentRankingSettings"/>): the document-level BM25 of
/// <see cref="DocumentIndex"/>, the best passage of the first stage, the rest of its passages, proximity of
/// neighbouring query terms, and for "what is X" the passages that define X. Returns passage ids in the order to
/// show them: documents best first, each with its best passages; a document found only at document level gets its
/// best-matching passage looked up.
/// </summary>
internal static class DocumentRanking
{
    /// <summary>Tokens between two neighbouring query terms that still count as near.</summary>
    private const int NearDistance = 4;

    /// <summary>The evidence that does not depend on the passage ranking: the document-level BM25 ranking and, for
    /// "what is X", the defining passages. The store looks it up on a connection of its own while the first stage runs.</summary>
    public sealed record Evidence(List<(string DocumentId, double Score)> Documents, List<(long Id, double Score)> Defining)
    {
        public static readonly Evidence None = new([], []);
    }

    /// <summary>Whether <see cref="FindEvidenceAsync"/> has anything to look up for this query.</summary>
    public static bool NeedsEvidence(AnalyzedQuery query, SearchMode mode) => query.Terms.Count > 0 && mode != SearchMode.Vector;

    public static async Task<Evidence> FindEvidenceAsync(SqliteConnection connection, AnalyzedQuery query, SearchRequest request, DocumentRankingSettings settings,
        CancellationToken cancellationToken)
    {
        if (!NeedsEvidence(query, request.Mode)) return Evidence.None;
        var phrases = await DocumentIndex.InformativePhrasesAsync(connection, query.Terms.Select(Fts5Query.Quote).ToList(), cancellationToken);
        var documents = await DocumentIndex.RankAsync(connection, null, Fts5Query.Any(phrases), request.Filter, settings.DocumentCandidates, cancellationToken);
        List<(long Id, double Score)> defining = [];
        if (settings.Definition > 0 && query.Kind == QuestionKind.Definition)
        {
            var subject = string.Join(' ', query.Subject);
            var match = Fts5Query.Any(new[] { "is", "are", "means", "refers" }.Select(verb => Fts5Query.Quote(subject + " " + verb)));
            defining = await SqliteSearch.RankAsync(connection, null, match, request.Filter, Math.Max(request.Candidates, request.Top), cancellationToken);
        }
        return new Evidence(documents, defining);
    }

    public static async Task<List<(long Id, double Score)>> RankAsync(SqliteConnection connection, AnalyzedQuery query,
        IReadOnlyList<(long Id, double Score)> passages, SearchRequest request, DocumentRankingSettings settings, CancellationToken cancellationToken) =>
        await RankAsync(connection, query, passages, await FindEvidenceAsync(connection, query, request, settings, cancellationToken), request, settings, cancellationToken);

    public static async Task<List<(long Id, double Score)>> RankAsync(SqliteConnection connection, AnalyzedQuery query,
        IReadOnlyList<(long Id, double Score)> passages, Evidence found, SearchRequest request, DocumentRankingSettings settings, CancellationToken cancellationToken)
    {
        var keyword = NeedsEvidence(query, request.Mode);
        var evidence = new Dictionary<long, double>();
        AddScaled(evidence, passages, 1.0);
        var documents = found.Documents;
        AddScaled(evidence, found.Defining, settings.Definition);

        var owners = await DocumentsOfAsync(connection, evidence.Keys.ToList(), cancellationToken);
        var pairs = query.Pairs.ToList();
        if (keyword && settings.Proximity > 0 && pairs.Count > 0)
        {
            // On the candidates' text, in memory: FTS5 NEAR queries cost as much as every row a common term is in.
            var near = owners.Select(o => (Id: o.Key, Score: Proximity.Score(o.Value.Text, pairs, NearDistance))).Where(n => n.Score > 0).ToList();
            AddScaled(evidence, near, settings.Proximity);
        }
        var byDocument = evidence.Where(e => owners.ContainsKey(e.Key))
            .GroupBy(e => owners[e.Key].DocumentId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(e => e.Value).ThenBy(e => e.Key).Select(e => (Id: e.Key, Score: e.Value)).ToList());
        var scores = new Dictionary<string, double>();
        foreach (var (document, list) in byDocument)
            scores[document] = settings.Passage * list[0].Score + settings.Spread * Math.Min(1, list.Skip(1).Sum(p => p.Score));
        var best = documents.Count > 0 ? documents[0].Score : 0;
        foreach (var (document, score) in documents)
        {
            var add = best > 0 ? settings.Document * score / best : 0;
            scores[document] = scores.GetValueOrDefault(document) + add;
        }

        var result = new List<(long Id, double Score)>();
        var perDocument = Math.Max(1, settings.PassagesPerDocument);
        foreach (var (document, score) in scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal))
        {
            if (result.Count >= request.Top) break;
            if (byDocument.TryGetValue(document, out var list))
            {
                foreach (var passage in list.Take(Math.Min(perDocument, request.Top - result.Count))) result.Add((passage.Id, score));
            }
            else if (await BestPassageAsync(connection, query, document, cancellationToken) is { } id)
            {
                result.Add((id, score));
            }
        }
        return result;
    }

    /// <summary>Adds each ranking's scores, scaled so that its best is <paramref name="weight"/>.</summary>
    private static void AddScaled(Dictionary<long, double> evidence, IReadOnlyList<(long Id, double Score)> ranking, double weight)
    {
        if (ranking.Count == 0) return;
        var max = ranking.Max(r => r.Score);
        foreach (var (id, score) in ranking)
            evidence[id] = evidence.GetValueOrDefault(id) + (max > 0 ? weight * Math.Max(0, score) / max : 0);
    }

    private static async Task<Dictionary<long, (string DocumentId, string Text)>> DocumentsOfAsync(SqliteConnection connection, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<long, (string, string)>();
        if (ids.Count == 0) return owners;
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, document_id, text FROM kb_chunks WHERE id IN ({string.Join(',', ids)})";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) owners[reader.GetInt64(0)] = (reader.GetString(1), reader.GetString(2));
        return owners;
    }

    /// <summary>A passage of the document to cite (its chunk ids are one contiguous range): the first that holds every
    /// query term, else the first that holds any, else its first passage. Not ordered by bm25(): FTS5 computes bm25's
    /// document frequencies over the whole index for each such query, tens of milliseconds on common terms.</summary>
    private static async Task<long?> BestPassageAsync(SqliteConnection connection, AnalyzedQuery query, string documentId, CancellationToken cancellationToken)
    {
        await using var range = connection.CreateCommand();
        range.CommandText = "SELECT min(id), max(id) FROM kb_chunks WHERE document_id = $id";
        range.Parameters.AddWithValue("$id", documentId);
        long low, high;
        await using (var reader = await range.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0)) return null;
            (low, high) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        if (query.Terms.Count == 0) return low;
        foreach (var match in new[] { string.Join(" AND ", query.Terms.Select(Fts5Query.Quote)), Fts5Query.Any(query.Terms.Select(Fts5Query.Quote)) })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT rowid FROM kb_fts WHERE kb_fts MATCH $match AND rowid BETWEEN $low AND $high LIMIT 1";
            command.Parameters.AddWithValue("$match", match);
            command.Parameters.AddWithValue("$low", low);
            command.Parameters.AddWithValue("$high", high);
            if (await command.ExecuteScalarAsync(cancellationToken) is long id) return id;
        }
        return low;
    }
}
