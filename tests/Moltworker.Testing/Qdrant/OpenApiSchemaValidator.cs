using System.Globalization;
using System.Text.Json;

namespace Moltworker.Testing.Qdrant;

/// <summary>
/// Validates JSON against the schemas of an OpenAPI 3.0 document, for the subset of JSON Schema that Qdrant's
/// document uses: <c>$ref</c> (local), <c>type</c>, <c>nullable</c>, <c>format</c> (integer widths, float, uuid),
/// <c>enum</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c>, <c>items</c>, <c>anyOf</c>,
/// <c>oneOf</c> (exactly one), <c>allOf</c>, <c>minimum</c>/<c>maximum</c>, <c>minLength</c>, <c>minItems</c>/<c>maxItems</c>,
/// <c>uniqueItems</c>. Two readings are deliberate: a schema that is only <c>{"nullable": true}</c> (Qdrant's way
/// of writing "or null" inside <c>anyOf</c>) accepts only null, and with <see cref="RejectUndeclaredProperties"/>
/// an object schema with <c>properties</c> but no <c>additionalProperties</c> rejects property names it does not
/// declare, so a misspelt field fails here instead of being silently ignored.
/// </summary>
public sealed class OpenApiSchemaValidator(JsonElement document)
{
    public bool RejectUndeclaredProperties { get; init; } = true;

    public JsonElement Document { get; } = document;

    public JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) throw new NotSupportedException($"Only local $ref is supported: {reference}");
        var node = Document;
        foreach (var part in reference[2..].Split('/'))
        {
            var name = part.Replace("~1", "/").Replace("~0", "~");
            if (!node.TryGetProperty(name, out node)) throw new KeyNotFoundException($"$ref {reference} does not resolve.");
        }
        return node;
    }

    /// <summary>Every violation found, as "path: message" (empty when valid).</summary>
    public List<string> Validate(JsonElement value, JsonElement schema, string path = "$")
    {
        var errors = new List<string>();
        Check(value, schema, path, errors, 0);
        return errors;
    }

    private void Check(JsonElement value, JsonElement schema, string path, List<string> errors, int depth)
    {
        if (depth > 64) { errors.Add($"{path}: schema nesting too deep"); return; }
        if (schema.ValueKind == JsonValueKind.True) return;
        if (schema.ValueKind == JsonValueKind.False) { errors.Add($"{path}: no value is allowed here"); return; }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(value, Resolve(reference.GetString()!), path, errors, depth + 1);
            return;
        }

        var nullable = schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (nullable) return;
            if (!schema.TryGetProperty("anyOf", out _) && !schema.TryGetProperty("oneOf", out _) && !schema.TryGetProperty("allOf", out _))
            {
                if (schema.TryGetProperty("type", out _) || schema.TryGetProperty("enum", out _)) errors.Add($"{path}: null is not allowed");
                return;
            }
        }
        else if (nullable && IsOnlyNullable(schema))
        {
            errors.Add($"{path}: expected null");
            return;
        }

        if (schema.TryGetProperty("allOf", out var allOf))
            foreach (var part in allOf.EnumerateArray()) Check(value, part, path, errors, depth + 1);
        if (schema.TryGetProperty("anyOf", out var anyOf)) Alternatives(value, anyOf, path, errors, depth, exactlyOne: false);
        if (schema.TryGetProperty("oneOf", out var oneOf)) Alternatives(value, oneOf, path, errors, depth, exactlyOne: true);

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(value, type.GetString()!))
        {
            errors.Add($"{path}: expected {type.GetString()}, got {Describe(value)}");
            return;
        }
        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
            errors.Add($"{path}: {value.GetRawText()} is not one of {allowed.GetRawText()}");
        if (schema.TryGetProperty("format", out var format)) CheckFormat(value, format.GetString()!, path, errors);
        CheckBounds(value, schema, path, errors);

        if (value.ValueKind == JsonValueKind.Object) CheckObject(value, schema, path, errors, depth);
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray()) Check(item, items, $"{path}[{i++}]", errors, depth + 1);
        }
    }

    private static bool IsOnlyNullable(JsonElement schema) =>
        schema.EnumerateObject().All(p => p.Name is "nullable" or "description" or "default" or "example");

    private void Alternatives(JsonElement value, JsonElement options, string path, List<string> errors, int depth, bool exactlyOne)
    {
        List<string>? best = null;
        var matches = 0;
        foreach (var option in options.EnumerateArray())
        {
            var attempt = new List<string>();
            Check(value, option, path, attempt, depth + 1);
            if (attempt.Count == 0) matches++;
            else if (best is null || attempt.Count < best.Count) best = attempt;
        }
        if (matches == 0)
            errors.Add($"{path}: matches none of the {(exactlyOne ? "oneOf" : "anyOf")} alternatives (closest: {string.Join("; ", best ?? [])})");
        else if (exactlyOne && matches > 1)
            errors.Add($"{path}: matches {matches} oneOf alternatives, expected exactly one");
    }

    private void CheckObject(JsonElement value, JsonElement schema, string path, List<string> errors, int depth)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties);
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray())
                if (!value.TryGetProperty(name.GetString()!, out _)) errors.Add($"{path}: missing required property '{name.GetString()}'");
        }
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in value.EnumerateObject())
        {
            var childPath = $"{path}.{property.Name}";
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
                Check(property.Value, propertySchema, childPath, errors, depth + 1);
            else if (hasAdditional)
            {
                if (additional.ValueKind == JsonValueKind.False) errors.Add($"{childPath}: unknown property");
                else if (additional.ValueKind == JsonValueKind.Object) Check(property.Value, additional, childPath, errors, depth + 1);
            }
            else if (hasProperties && RejectUndeclaredProperties) errors.Add($"{childPath}: unknown property (not declared by the schema)");
        }
    }

    private static bool TypeMatches(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && IsInteger(value),
        _ => true,
    };

    private static bool IsInteger(JsonElement value) =>
        value.TryGetInt64(out _) || value.TryGetUInt64(out _) || (value.TryGetDecimal(out var d) && decimal.Truncate(d) == d && !value.GetRawText().Contains('.'));

    private static void CheckFormat(JsonElement value, string format, string path, List<string> errors)
    {
        switch (format)
        {
            case "uint" or "uint64" when value.ValueKind == JsonValueKind.Number && !value.TryGetUInt64(out _):
            case "uint32" when value.ValueKind == JsonValueKind.Number && !value.TryGetUInt32(out _):
            case "uint16" when value.ValueKind == JsonValueKind.Number && !value.TryGetUInt16(out _):
            case "uint8" when value.ValueKind == JsonValueKind.Number && !value.TryGetByte(out _):
            case "int64" when value.ValueKind == JsonValueKind.Number && !value.TryGetInt64(out _):
            case "int32" when value.ValueKind == JsonValueKind.Number && !value.TryGetInt32(out _):
                errors.Add($"{path}: {value.GetRawText()} does not fit format {format}");
                break;
            case "float" when value.ValueKind == JsonValueKind.Number && float.IsInfinity((float)value.GetDouble()):
                errors.Add($"{path}: {value.GetRawText()} does not fit a float");
                break;
            case "uuid" when value.ValueKind == JsonValueKind.String && !Guid.TryParse(value.GetString(), out _):
                errors.Add($"{path}: '{value.GetString()}' is not a UUID");
                break;
            case "date-time" when value.ValueKind == JsonValueKind.String &&
                                  !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                errors.Add($"{path}: '{value.GetString()}' is not a date-time");
                break;
        }
    }

    private static void CheckBounds(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            var number = value.GetDouble();
            if (schema.TryGetProperty("minimum", out var min) && number < min.GetDouble()) errors.Add($"{path}: {value.GetRawText()} is below the minimum {min.GetRawText()}");
            if (schema.TryGetProperty("maximum", out var max) && number > max.GetDouble()) errors.Add($"{path}: {value.GetRawText()} is above the maximum {max.GetRawText()}");
        }
        if (value.ValueKind == JsonValueKind.String && schema.TryGetProperty("minLength", out var minLength) && value.GetString()!.Length < minLength.GetInt32())
            errors.Add($"{path}: shorter than {minLength.GetInt32()} characters");
        if (value.ValueKind == JsonValueKind.Array)
        {
            var count = value.GetArrayLength();
            if (schema.TryGetProperty("minItems", out var minItems) && count < minItems.GetInt32()) errors.Add($"{path}: fewer than {minItems.GetInt32()} items");
            if (schema.TryGetProperty("maxItems", out var maxItems) && count > maxItems.GetInt32()) errors.Add($"{path}: more than {maxItems.GetInt32()} items");
            if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind == JsonValueKind.True &&
                value.EnumerateArray().Select(e => e.GetRawText()).Distinct().Count() != count)
                errors.Add($"{path}: items are not unique");
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => $"number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString(),
    };
}
