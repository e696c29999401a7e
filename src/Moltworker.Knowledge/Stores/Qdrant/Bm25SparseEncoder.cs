using Moltworker.Knowledge.Text;

namespace Moltworker.Knowledge.Stores.Qdrant;

/// <summary>
/// Client-side BM25 as sparse vectors for Qdrant: a document term's value is the BM25 term-frequency part
/// tf·(k1+1) / (tf + k1·(1 − b + b·len/avgLen)); a query term's value is 1. The collection's sparse vector uses
/// the <c>idf</c> modifier, so Qdrant multiplies in the inverse document frequency at query time and the dot
/// product is the BM25 score. Term ids are FNV-1a hashes of the terms (<see cref="TermTokenizer"/>).
/// </summary>
public sealed class Bm25SparseEncoder(double averageLength = 256, double k1 = 1.2, double b = 0.75)
{
    public (uint[] Indices, float[] Values) Document(string text) => Document(TermTokenizer.Tokenize(text));

    /// <summary>A document already cut into terms (e.g. stemmed ones).</summary>
    public (uint[] Indices, float[] Values) Document(IReadOnlyList<string> terms)
    {
        var counts = new Dictionary<uint, int>();
        foreach (var term in terms)
        {
            var id = StableHash.Fnv1a(term);
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        var norm = k1 * (1 - b + b * terms.Count / Math.Max(1, averageLength));
        var ordered = counts.OrderBy(c => c.Key).ToList();
        return (ordered.Select(c => c.Key).ToArray(), ordered.Select(c => (float)(c.Value * (k1 + 1) / (c.Value + norm))).ToArray());
    }

    public (uint[] Indices, float[] Values) Query(string text) => Query(TermTokenizer.Tokenize(text));

    /// <summary>A query already cut into terms.</summary>
    public (uint[] Indices, float[] Values) Query(IReadOnlyList<string> terms)
    {
        var ids = terms.Select(StableHash.Fnv1a).Distinct().Order().ToArray();
        return (ids, Enumerable.Repeat(1f, ids.Length).ToArray());
    }
}
