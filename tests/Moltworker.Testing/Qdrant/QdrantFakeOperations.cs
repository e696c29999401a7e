using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Moltworker.Testing.Qdrant;

/// <summary>The operations the in-test Qdrant implements, on in-memory collections, by operationId.</summary>
public sealed class QdrantFakeOperations
{
    private readonly object _gate = new();
    private long _version;

    public ConcurrentDictionary<string, FakeCollection> Collections { get; } = new(StringComparer.Ordinal);

    public QdrantReply? Handle(string operationId, IReadOnlyDictionary<string, string> path, JsonNode? body, bool wait)
    {
        lock (_gate)
        {
            var name = path.TryGetValue("collection_name", out var n) ? n : "";
            Collections.TryGetValue(name, out var collection);
            var done = new JsonObject { ["operation_id"] = ++_version, ["status"] = wait ? "completed" : "acknowledged" };
            switch (operationId)
            {
                case "collection_exists":
                    return QdrantReply.Ok(new JsonObject { ["exists"] = collection is not null });
                case "create_collection":
                    if (collection is not null) return QdrantReply.Fail(409, $"Wrong input: Collection `{name}` already exists!");
                    Collections[name] = new FakeCollection(name, (JsonObject?)body?.DeepClone() ?? []);
                    return QdrantReply.Ok(true);
                case "delete_collection":
                    return QdrantReply.Ok(Collections.TryRemove(name, out _));
                case "create_field_index":
                    if (collection is null) return QdrantReply.NotFound(name);
                    collection.Indexes[body!["field_name"]!.GetValue<string>()] = body["field_schema"]?.DeepClone();
                    return QdrantReply.Ok(done);
                case "upsert_points":
                    return collection is null ? QdrantReply.NotFound(name) : Upsert(collection, body!.AsObject(), done);
                case "delete_points":
                    if (collection is null) return QdrantReply.NotFound(name);
                    foreach (var point in Select(collection, body!.AsObject())) collection.Points.Remove(point.Key);
                    return QdrantReply.Ok(done);
                case "count_points":
                    if (collection is null) return QdrantReply.NotFound(name);
                    return QdrantReply.Ok(new JsonObject { ["count"] = collection.Points.Values.Count(p => QdrantFilter.Matches(body?["filter"], p)) });
                case "scroll_points":
                    return collection is null ? QdrantReply.NotFound(name) : Scroll(collection, body?.AsObject() ?? []);
                case "query_points":
                    return collection is null ? QdrantReply.NotFound(name) : Query(collection, body?.AsObject() ?? []);
                default:
                    return null;
            }
        }
    }

    private QdrantReply Upsert(FakeCollection collection, JsonObject body, JsonObject done)
    {
        if (body["points"] is not JsonArray points) return QdrantReply.BadRequest("the in-test server supports only the points-list form of upsert");
        var staged = new List<FakePoint>();
        foreach (var node in points)
        {
            var p = node!.AsObject();
            var point = new FakePoint { Id = p["id"]!.DeepClone(), Key = FakePoint.KeyOf(p["id"]!), Payload = (JsonObject?)p["payload"]?.DeepClone() ?? [], Version = _version };
            var vector = p["vector"];
            if (vector is JsonArray unnamed) vector = new JsonObject { [""] = unnamed.DeepClone() };
            foreach (var (vectorName, value) in vector!.AsObject())
            {
                if (value is JsonArray dense)
                {
                    var size = collection.DenseSize(vectorName);
                    if (size is null) return QdrantReply.BadRequest($"Not existing vector name error: {vectorName}");
                    if (size != dense.Count) return QdrantReply.BadRequest($"Vector dimension error: expected dim: {size}, got {dense.Count}");
                    point.Dense[vectorName] = dense.Select(v => v!.GetValue<float>()).ToArray();
                }
                else if (value is JsonObject sparse && sparse.ContainsKey("indices"))
                {
                    if (!collection.HasSparse(vectorName)) return QdrantReply.BadRequest($"Not existing vector name error: {vectorName}");
                    var indices = sparse["indices"]!.AsArray().Select(i => i!.GetValue<uint>()).ToArray();
                    var values = sparse["values"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
                    if (indices.Length != values.Length) return QdrantReply.BadRequest("Validation error in JSON body: sparse vector indices and values must have the same length");
                    if (indices.Distinct().Count() != indices.Length) return QdrantReply.BadRequest("Validation error in JSON body: sparse vector indices must be unique");
                    point.Sparse[vectorName] = (indices, values);
                }
                else return QdrantReply.BadRequest("the in-test server does not implement inference objects");
            }
            staged.Add(point);
        }
        foreach (var point in staged) collection.Points[point.Key] = point;
        return QdrantReply.Ok(done);
    }

    private static IEnumerable<FakePoint> Select(FakeCollection collection, JsonObject selector)
    {
        if (selector["points"] is JsonArray ids)
        {
            var keys = ids.Select(i => FakePoint.KeyOf(i!)).ToHashSet();
            return collection.Points.Values.Where(p => keys.Contains(p.Key)).ToList();
        }
        return collection.Points.Values.Where(p => QdrantFilter.Matches(selector["filter"], p)).ToList();
    }

    private static QdrantReply Scroll(FakeCollection collection, JsonObject body)
    {
        var limit = body["limit"]?.GetValue<int>() ?? 10;
        var start = body["offset"] is { } offset ? FakePoint.KeyOf(offset) : null;
        var matching = collection.Points.Values
            .Where(p => start is null || string.CompareOrdinal(p.Key, start) >= 0)
            .Where(p => QdrantFilter.Matches(body["filter"], p))
            .Take(limit + 1).ToList();
        var records = new JsonArray();
        foreach (var point in matching.Take(limit))
        {
            var record = new JsonObject { ["id"] = point.Id.DeepClone() };
            if (QdrantQueryEngine.SelectPayload(point, body["with_payload"], defaultValue: true) is { } payload) record["payload"] = payload;
            records.Add(record);
        }
        return QdrantReply.Ok(new JsonObject
        {
            ["points"] = records,
            ["next_page_offset"] = matching.Count > limit ? matching[limit].Id.DeepClone() : null,
        });
    }

    private static QdrantReply Query(FakeCollection collection, JsonObject body)
    {
        var hits = QdrantQueryEngine.Run(collection, body, out var error);
        if (error is not null) return QdrantReply.BadRequest(error);
        var points = new JsonArray();
        foreach (var (point, score) in hits)
        {
            var scored = new JsonObject { ["id"] = point.Id.DeepClone(), ["version"] = point.Version, ["score"] = (float)score };
            if (QdrantQueryEngine.SelectPayload(point, body["with_payload"], defaultValue: false) is { } payload) scored["payload"] = payload;
            points.Add(scored);
        }
        return QdrantReply.Ok(new JsonObject { ["points"] = points });
    }

    internal static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

}
