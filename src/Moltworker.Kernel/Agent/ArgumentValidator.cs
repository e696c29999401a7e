using System.Text.Json;

namespace Moltworker.Kernel.Agent;

/// <summary>Checks call arguments against the tool's JSON schema: required properties, primitive types, enums.
/// Returns a message the model can act on, or null when the arguments fit.</summary>
public static class ArgumentValidator
{
    public static string? Validate(JsonElement schema, IReadOnlyDictionary<string, JsonElement> arguments)
    {
        if (schema.ValueKind != JsonValueKind.Object) return null;
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            var missing = required.EnumerateArray().Select(r => r.GetString()!).Where(r => !arguments.ContainsKey(r)).ToList();
            if (missing.Count > 0) return $"missing required argument(s): {string.Join(", ", missing)}. Expected schema: {Compact(schema)}";
        }
        if (properties.ValueKind != JsonValueKind.Object) return null;
        foreach (var (name, value) in arguments)
        {
            if (!properties.TryGetProperty(name, out var property))
                return $"unknown argument '{name}'. Valid arguments: {string.Join(", ", properties.EnumerateObject().Select(x => x.Name))}";
            string? error;
            try { error = TypeError(property, value); }
            catch (InvalidOperationException) { error = "is not valid text (it holds an unpaired UTF-16 surrogate)"; } // found by fuzzing
            if (error is not null) return $"argument '{name}' {error}";
        }
        return null;
    }

    private static string? TypeError(JsonElement property, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (property.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array &&
            !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
            return $"must be one of {allowed.GetRawText()}";
        if (!property.TryGetProperty("type", out var type)) return null;
        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()];
        return types.Any(t => Fits(t, value)) ? null : $"must be of type {string.Join(" or ", types)}, got {value.ValueKind.ToString().ToLowerInvariant()}";
    }

    private static bool Fits(string? type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Compact(JsonElement schema) => schema.GetRawText() is var s && s.Length > 400 ? s[..400] + "…" : s;
}
