using System.Text.Json;
using System.Text.Json.Nodes;

namespace Moltworker.Testing.Qdrant;

/// <summary>The universal query API of the fake: nearest dense (cosine/dot) or sparse (dot, with the idf modifier
/// when configured) on a named vector, prefetch (nested), fusion (rrf, dbsf treated as rrf), filter, limit, offset.</summary>
public static class QdrantQueryEngine
{
    public const int DefaultRrfK = 2;

    public static List<(FakePoint Point, double Score)> Run(FakeCollection collection, JsonObject request, out string? error)
    {
        error = null;
        var limit = request["limit"]?.GetValue<int>() ?? 10;
        var offset = request["offset"]?.GetValue<int>() ?? 0;
        var candidates = Evaluate(collection, request, limit + offset, ref error);
        return candidates.Skip(offset).Take(limit).ToList();
    }

    private static List<(FakePoint Point, double Score)> Evaluate(FakeCollection collection, JsonObject stage, int limit, ref string? error)
    {
        var filter = stage["filter"];
        var prefetches = stage["prefetch"] switch
        {
            JsonArray array => array.Select(p => p!.AsObject()).ToList(),
            JsonObject single => [single],
            _ => new List<JsonObject>(),
        };
        var prefetched = new List<List<(FakePoint, double)>>();
        foreach (var prefetch in prefetches)
        {
            var result = Evaluate(collection, prefetch, prefetch["limit"]?.GetValue<int>() ?? 10, ref error);
            if (error is not null) return [];
            prefetched.Add(result);
        }

        var query = stage["query"];
        if (query is JsonObject { } q && q["nearest"] is { } nearest) query = nearest;
        if (query is JsonObject fusionQuery && (fusionQuery.ContainsKey("fusion") || fusionQuery.ContainsKey("rrf")))
        {
            var k = fusionQuery["rrf"]?["k"]?.GetValue<int>() ?? DefaultRrfK;
            var scores = new Dictionary<string, (FakePoint Point, double Score)>();
            foreach (var list in prefetched)
            {
                for (var rank = 0; rank < list.Count; rank++)
                {
                    var (point, _) = list[rank];
                    if (!QdrantFilter.Matches(filter, point)) continue;
                    var add = 1.0 / (rank + k);
                    scores[point.Key] = scores.TryGetValue(point.Key, out var s) ? (point, s.Score + add) : (point, add);
                }
            }
            return scores.Values.OrderByDescending(s => s.Score).ThenBy(s => s.Point.Key, StringComparer.Ordinal).Take(limit).ToList();
        }

        var pool = prefetched.Count > 0
            ? prefetched.SelectMany(p => p.Select(x => x.Item1)).DistinctBy(p => p.Key).ToList()
            : collection.Points.Values.ToList();
        pool = pool.Where(p => QdrantFilter.Matches(filter, p)).ToList();
        var name = stage["using"]?.GetValue<string>() ?? "";

        if (query is JsonArray dense)
        {
            var vector = dense.Select(v => v!.GetValue<float>()).ToArray();
            if (collection.DenseSize(name) is not { } size) { error = $"Not existing vector name error: {name}"; return []; }
            if (size != vector.Length) { error = $"Vector dimension error: expected dim: {size}, got {vector.Length}"; return []; }
            var cosine = collection.Distance(name) == "Cosine";
            return pool.Where(p => p.Dense.ContainsKey(name))
                .Select(p => (p, Similarity(vector, p.Dense[name], cosine)))
                .OrderByDescending(x => x.Item2).ThenBy(x => x.p.Key, StringComparer.Ordinal).Take(limit).ToList();
        }
        if (query is JsonObject sparse && sparse.ContainsKey("indices"))
        {
            if (!collection.HasSparse(name)) { error = $"Not existing vector name error: {name}"; return []; }
            var indices = sparse["indices"]!.AsArray().Select(i => i!.GetValue<uint>()).ToArray();
            var values = sparse["values"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            if (indices.Length != values.Length) { error = "Sparse vector indices and values must have the same length"; return []; }
            var idf = collection.SparseIdf(name) ? Idf(collection, name, indices) : null;
            return pool.Where(p => p.Sparse.ContainsKey(name))
                .Select(p => (p, SparseDot(indices, values, p.Sparse[name], idf)))
                .Where(x => x.Item2 > 0)
                .OrderByDescending(x => x.Item2).ThenBy(x => x.p.Key, StringComparer.Ordinal).Take(limit).ToList();
        }
        if (query is null) return pool.Select(p => (p, 0.0)).Take(limit).ToList();
        error = "The in-test Qdrant server does not implement this query: " + query.ToJsonString();
        return [];
    }

    private static double Similarity(float[] a, float[] b, bool cosine)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return cosine ? (na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb)) : dot;
    }

    /// <summary>Inverse document frequency as Qdrant's idf modifier defines it: ln(((N − n + 0.5) / (n + 0.5)) + 1).</summary>
    private static Dictionary<uint, double> Idf(FakeCollection collection, string name, uint[] indices)
    {
        var withVector = collection.Points.Values.Where(p => p.Sparse.ContainsKey(name)).ToList();
        var total = withVector.Count;
        return indices.Distinct().ToDictionary(i => i, i =>
        {
            var n = withVector.Count(p => Array.IndexOf(p.Sparse[name].Indices, i) >= 0);
            return Math.Log((total - n + 0.5) / (n + 0.5) + 1);
        });
    }

    private static double SparseDot(uint[] indices, float[] values, (uint[] Indices, float[] Values) point, Dictionary<uint, double>? idf)
    {
        double score = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            var at = Array.IndexOf(point.Indices, indices[i]);
            if (at >= 0) score += values[i] * point.Values[at] * (idf?[indices[i]] ?? 1.0);
        }
        return score;
    }

    /// <summary>The payload to return, after with_payload (true / false / list of keys / include / exclude).</summary>
    public static JsonObject? SelectPayload(FakePoint point, JsonNode? withPayload, bool defaultValue)
    {
        switch (withPayload)
        {
            case null: return defaultValue ? (JsonObject)point.Payload.DeepClone() : null;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return v.GetValue<bool>() ? (JsonObject)point.Payload.DeepClone() : null;
            case JsonArray keys: return Pick(point.Payload, keys.Select(k => k!.GetValue<string>()).ToHashSet(), include: true);
            case JsonObject selector when selector["include"] is JsonArray include:
                return Pick(point.Payload, include.Select(k => k!.GetValue<string>()).ToHashSet(), include: true);
            case JsonObject selector when selector["exclude"] is JsonArray exclude:
                return Pick(point.Payload, exclude.Select(k => k!.GetValue<string>()).ToHashSet(), include: false);
            default: return null;
        }
    }

    private static JsonObject Pick(JsonObject payload, HashSet<string> keys, bool include)
    {
        var result = new JsonObject();
        foreach (var (key, value) in payload)
            if (keys.Contains(key) == include) result[key] = value?.DeepClone();
        return result;
    }
}
