using System.Text.Json;
using System.Text.Json.Nodes;

namespace Moltworker.Testing.Qdrant;

/// <summary>Evaluates Qdrant filters (must / should / must_not / min_should; field match value, any, except;
/// range; is_empty; is_null; has_id; nested filters) on a point. Array payload values match when any element does.</summary>
public static class QdrantFilter
{
    public static bool Matches(JsonNode? filter, FakePoint point)
    {
        if (filter is not JsonObject f) return true;
        var must = Conditions(f["must"]);
        var should = Conditions(f["should"]);
        var mustNot = Conditions(f["must_not"]);
        if (!must.All(c => Condition(c, point))) return false;
        if (mustNot.Any(c => Condition(c, point))) return false;
        if (should.Count > 0 && !should.Any(c => Condition(c, point))) return false;
        if (f["min_should"] is JsonObject minShould)
        {
            var count = Conditions(minShould["conditions"]).Count(c => Condition(c, point));
            if (count < minShould["min_count"]!.GetValue<int>()) return false;
        }
        return true;
    }

    private static List<JsonNode> Conditions(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Where(a => a is not null).Select(a => a!).ToList(),
        _ => [node],
    };

    private static bool Condition(JsonNode condition, FakePoint point)
    {
        var c = condition.AsObject();
        if (c.ContainsKey("must") || c.ContainsKey("should") || c.ContainsKey("must_not") || c.ContainsKey("min_should")) return Matches(c, point);
        if (c["has_id"] is JsonArray ids) return ids.Any(id => id is not null && FakePoint.KeyOf(id) == point.Key);
        if (c["has_vector"] is JsonValue hasVector)
        {
            var vectorName = hasVector.GetValue<string>();
            return point.Dense.ContainsKey(vectorName) || point.Sparse.ContainsKey(vectorName);
        }
        if (c["is_empty"] is JsonObject isEmpty) return Values(point.Payload, isEmpty["key"]!.GetValue<string>()).Count == 0;
        if (c["is_null"] is JsonObject isNull) return Lookup(point.Payload, isNull["key"]!.GetValue<string>()) is null && Has(point.Payload, isNull["key"]!.GetValue<string>());
        var key = c["key"]?.GetValue<string>() ?? throw new InvalidOperationException("Unsupported condition: " + c.ToJsonString());
        var values = Values(point.Payload, key);
        if (c["match"] is JsonObject match)
        {
            if (match["value"] is { } value) return values.Any(v => Same(v, value));
            if (match["any"] is JsonArray any) return values.Any(v => any.Any(a => a is not null && Same(v, a)));
            if (match["except"] is JsonArray except) return values.Count > 0 && values.All(v => !except.Any(e => e is not null && Same(v, e)));
            if (match["text"] is { } text) return values.Any(v => v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains(text.GetValue<string>(), StringComparison.OrdinalIgnoreCase));
        }
        if (c["range"] is JsonObject range)
            return values.Any(v => v.GetValueKind() == JsonValueKind.Number && InRange(v.GetValue<double>(), range));
        if (c["is_empty"] is JsonValue emptyFlag) return (values.Count == 0) == emptyFlag.GetValue<bool>();
        throw new InvalidOperationException("Unsupported field condition: " + c.ToJsonString());
    }

    private static bool InRange(double v, JsonObject range) =>
        (range["gt"] is not { } gt || v > gt.GetValue<double>()) && (range["gte"] is not { } gte || v >= gte.GetValue<double>()) &&
        (range["lt"] is not { } lt || v < lt.GetValue<double>()) && (range["lte"] is not { } lte || v <= lte.GetValue<double>());

    private static bool Same(JsonNode a, JsonNode b) => JsonNode.DeepEquals(a, b) ||
        (a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number && a.GetValue<double>() == b.GetValue<double>());

    private static bool Has(JsonObject payload, string key)
    {
        Lookup(payload, key, out var found);
        return found;
    }

    private static JsonNode? Lookup(JsonObject payload, string key) => Lookup(payload, key, out _);

    private static JsonNode? Lookup(JsonObject payload, string key, out bool found)
    {
        JsonNode? node = payload;
        found = false;
        foreach (var part in key.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node)) return null;
        }
        found = true;
        return node;
    }

    /// <summary>The scalar values at a key (array elements flattened; null and missing give none).</summary>
    public static List<JsonNode> Values(JsonObject payload, string key)
    {
        var node = Lookup(payload, key.Replace("[]", ""));
        return node switch
        {
            null => [],
            JsonArray array => array.Where(a => a is not null).Select(a => a!).ToList(),
            _ => [node],
        };
    }
}
