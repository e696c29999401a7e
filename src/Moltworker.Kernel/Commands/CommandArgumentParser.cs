using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Moltworker.Kernel.Commands;

/// <summary>
/// Turns the text after a command into tool arguments, guided by the tool's JSON schema:
/// a JSON object; or <c>key=value</c> pairs (quotes allowed); or positional words in schema order, the last
/// parameter taking the rest of the line (or the whole line, when the only required parameter is a string). Values are converted to the schema's types.
/// </summary>
public static partial class CommandArgumentParser
{
    public static Dictionary<string, object?> Parse(string rest, JsonElement schema)
    {
        rest = rest.Trim();
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (rest.Length == 0) return result;
        var properties = Properties(schema);
        if (rest.StartsWith('{'))
        {
            JsonDocument doc;
            try { doc = JsonDocument.Parse(rest); }
            catch (ArgumentException ex) { throw new JsonException("the arguments are not valid text: " + ex.Message, ex); } // found by fuzzing
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("the arguments must be a JSON object");
                foreach (var p in doc.RootElement.EnumerateObject()) result[p.Name] = p.Value.Clone();
            }
            return result;
        }
        var pairs = PairRegex().Matches(rest);
        if (pairs.Count > 0 && pairs.All(m => properties.Any(p => p.Name == m.Groups[1].Value)) && PairRegex().Replace(rest, "").Trim().Length == 0)
        {
            foreach (Match m in pairs) result[m.Groups[1].Value] = Convert(m.Groups[2].Value.Trim('"'), properties.First(p => p.Name == m.Groups[1].Value).Type);
            return result;
        }
        if (properties.Count == 0) return result;
        if (SoleRequiredString(schema, properties) is { } whole)
        {
            result[whole] = rest;
            return result;
        }
        var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < properties.Count && i < words.Length; i++)
        {
            var value = i == properties.Count - 1 ? string.Join(' ', words[i..]) : words[i];
            result[properties[i].Name] = Convert(value, properties[i].Type);
        }
        return result;
    }

    /// <summary>A tool whose only required parameter is a string (<c>/search &lt;query&gt;</c>) takes the whole line there;
    /// its optional parameters are then set with <c>key=value</c> pairs or JSON.</summary>
    private static string? SoleRequiredString(JsonElement schema, List<(string Name, string? Type)> properties)
    {
        if (properties.Count < 2 || !schema.TryGetProperty("required", out var r) || r.ValueKind != JsonValueKind.Array || r.GetArrayLength() != 1) return null;
        var first = properties[0];
        return first.Type == "string" && r[0].GetString() == first.Name ? first.Name : null;
    }

    private static List<(string Name, string? Type)> Properties(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var props)) return [];
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
        return props.EnumerateObject()
            .Select(p => (p.Name, Type: p.Value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null))
            .OrderBy(p => required.Contains(p.Name) ? 0 : 1)
            .ToList();
    }

    private static object? Convert(string value, string? type) => type switch
    {
        "integer" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        "number" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        "boolean" when bool.TryParse(value, out var b) => b,
        _ => value,
    };

    [GeneratedRegex("""(\w+)=("[^"]*"|\S+)""")]
    private static partial Regex PairRegex();
}
