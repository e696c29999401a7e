using Microsoft.Data.Sqlite;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>
/// The best <c>k</c> chunks by FTS5's bm25(), without scoring every row that some query term matches.
/// <para>
/// FTS5 ranks an OR query by computing bm25() for each matching row and sorting them all. A term found in most
/// chunks ("use", "list") makes that tens of thousands of rows: about 60 ms at 100k chunks, while the query's
/// rare terms match a few hundred. This applies the MaxScore idea from search engines. The terms are split into
/// rare ones (R) and common ones (C). Only rows with a rare term are ranked, and exactly: <c>(R) AND (C)</c> scores
/// rows holding both kinds with every term, <c>R</c> scores the rest. A row holding common terms only can score
/// at most Σ idf(t)·(k1 + 1) over C, bm25's ceiling as a term repeats; when the k-th score found is at least that
/// bound, no such row can enter the top k, and the answer is the one the plain OR query gives. Otherwise the next
/// rarer common term moves to R and the check is repeated; after <see cref="DefaultAttempts"/> tries the plain query runs.
/// A hybrid search asks for no proof (<c>exact: false</c>): the first pruned answer with rows is kept.
/// </para>
/// All reads share one snapshot, so counts and rankings agree while a writer commits.
/// </summary>
internal sealed class Bm25TopK(long commonRows = Bm25TopK.DefaultCommonRows, int attempts = Bm25TopK.DefaultAttempts)
{
    /// <summary>A term matching more rows than this is "common" at first.</summary>
    public const long DefaultCommonRows = 1000;

    /// <summary>Pruned tries before the plain query.</summary>
    public const int DefaultAttempts = 2;

    // FTS5's bm25() constants (fts5_aux.c): k1 = 1.2, b = 0.75; an idf at or below zero counts as 1e-6.
    private const double K1 = 1.2;
    private const double MinIdf = 1e-6;

    private readonly Lock _sizeLock = new();
    private (long Generation, long Rows) _size = (-1, 0);
    private long _prunedAnswers;

    /// <summary>Searches answered without the plain query (for tests and the benchmark).</summary>
    public long PrunedAnswers => Interlocked.Read(ref _prunedAnswers);

    /// <summary>Searches answered from the rows with a rare term although they could not be proved exact
    /// (<c>exact: false</c>; for tests and the benchmark).</summary>
    public long UnprovedAnswers => Interlocked.Read(ref _unprovedAnswers);

    private long _unprovedAnswers;

    /// <param name="exact">False when other evidence fills the ranking (hybrid search: the vector scan and the
    /// document index): the first pruned answer that found rows is kept even when a row with common terms only could
    /// still belong in it, so the plain OR query, which scores every row holding a common term, never runs for a
    /// query with a rare term. The rows returned are still ranked by their bm25() (less the 1e-6 idf of terms found in
    /// half the rows or more, which the second query then leaves out); rows with common terms only are left out.</param>
    public async Task<List<(long Id, double Score)>> SearchAsync(SqliteConnection connection, string text, SearchFilter filter, int limit, CancellationToken cancellationToken,
        bool exact = true, SearchTimings? timings = null)
    {
        var phrases = Fts5Query.Phrases(text);
        if (phrases.Count == 0 || limit <= 0) return [];
        if (phrases.Count == 1) return await SqliteSearch.RankAsync(connection, null, phrases[0], filter, limit, cancellationToken);

        await using var snapshot = connection.BeginTransaction(deferred: true);
        var rows = await RowCountAsync(connection, snapshot, cancellationToken);
        if (rows > commonRows)
        {
            // Counting stops at half the rows: a term in more than that has bm25's minimum idf anyway.
            var counts = await SqliteSearch.DocumentFrequenciesAsync(connection, snapshot, phrases, rows / 2 + 1, cancellationToken);
            var terms = phrases.Zip(counts, (phrase, count) => new Term(phrase, count, MaxContribution(count, rows)))
                .OrderBy(t => t.Rows).ThenBy(t => t.Phrase, StringComparer.Ordinal).ToList();
            var split = Math.Max(1, terms.Count(t => t.Rows <= commonRows));
            for (var attempt = 0; attempt < attempts && split < terms.Count; attempt++, split++)
            {
                var (pruned, proved) = await TryPrunedAsync(connection, snapshot, terms[..split], terms[split..], filter, limit, cancellationToken, exact);
                if (proved)
                {
                    Interlocked.Increment(ref _prunedAnswers);
                    Plan(timings, "pruned", split, terms);
                    return pruned;
                }
                if (!exact && pruned.Count > 0)
                {
                    Interlocked.Increment(ref _unprovedAnswers);
                    Plan(timings, "pruned-unproved", split, terms);
                    return pruned;
                }
            }
            Plan(timings, "plain", terms.Count, terms);
        }
        return await SqliteSearch.RankAsync(connection, snapshot, Fts5Query.Any(phrases), filter, limit, cancellationToken);
    }

    /// <summary>The top <paramref name="limit"/> of the rows with a rare term, and whether it is proved to be the exact
    /// top (no row with common terms only could still belong there).</summary>
    private static async Task<(List<(long Id, double Score)> Ranked, bool Proved)> TryPrunedAsync(SqliteConnection connection, SqliteTransaction snapshot,
        List<Term> rare, List<Term> common, SearchFilter filter, int limit, CancellationToken cancellationToken, bool exact = true)
    {
        var rarePhrases = rare.Select(t => t.Phrase).ToList();
        // Without the proof, a common term in half the rows or more is left out of the second query: FTS5 gives it
        // an idf of 1e-6, so it moves no score visibly, while bm25() would read its whole row list to count it.
        var commonPhrases = common.Where(t => exact || t.MaxContribution > MinIdf * (K1 + 1)).Select(t => t.Phrase).ToList();
        // Rows with a common term too score higher in the first query; it has their full score.
        var partial = await SqliteSearch.RankAsync(connection, snapshot, Fts5Query.Any(rarePhrases), filter, limit, cancellationToken);
        var full = commonPhrases.Count == 0 ? []
            : await SqliteSearch.RankAsync(connection, snapshot, Fts5Query.Both(rarePhrases, commonPhrases), filter, limit, cancellationToken);
        var scores = partial.ToDictionary(p => p.Id, p => p.Score);
        foreach (var (id, score) in full) scores[id] = score;
        var ranked = scores.Select(s => (s.Key, s.Value)).OrderByDescending(s => s.Value).ThenBy(s => s.Key).Take(limit).ToList();
        if (ranked.Count < limit) return (ranked, false);
        var ceiling = common.Sum(t => t.MaxContribution);
        return (ranked, ranked[^1].Value >= ceiling);
    }

    private static void Plan(SearchTimings? timings, string how, int rare, List<Term> terms)
    {
        if (timings is not null) timings.KeywordPlan = $"{how}, rare {rare} of {terms.Count}, rows {string.Join('/', terms.Select(t => t.Rows))}";
    }

    /// <summary>The most one term can add to a row's score: idf·(k1 + 1), the limit of bm25's saturating tf part.</summary>
    private static double MaxContribution(long matchingRows, long rows)
    {
        var idf = Math.Log((rows - matchingRows + 0.5) / (matchingRows + 0.5));
        return (idf <= 0 ? MinIdf : idf) * (K1 + 1);
    }

    /// <summary>Rows in the index (bm25's N), recounted only when the store's generation moved.</summary>
    private async Task<long> RowCountAsync(SqliteConnection connection, SqliteTransaction snapshot, CancellationToken cancellationToken)
    {
        var generation = await SqliteSearch.GenerationAsync(connection, cancellationToken, snapshot);
        lock (_sizeLock)
        {
            if (_size.Generation == generation) return _size.Rows;
        }
        var rows = await SqliteSearch.CountChunksAsync(connection, snapshot, cancellationToken);
        lock (_sizeLock) _size = (generation, rows);
        return rows;
    }

    private sealed record Term(string Phrase, long Rows, double MaxContribution);
}
