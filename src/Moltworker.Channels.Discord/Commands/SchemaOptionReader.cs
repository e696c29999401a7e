using System.Text.Json;

namespace Moltworker.Channels.Discord.Commands;

/// <summary>Reads a tool's JSON schema (as <c>AIFunctionFactory</c> makes it) into slash command options:
/// string, integer, number and boolean; enums as choices; required first; at most 25.</summary>
public static class SchemaOptionReader
{
    public const int MaxOptions = 25;
    public const int MaxChoices = 25;

    public static IReadOnlyList<SlashOption> Read(JsonElement schema, bool hasSuggestions)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var props) ||
            props.ValueKind != JsonValueKind.Object)
            return [];

        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.Array)
            foreach (var r in req.EnumerateArray())
                if (r.GetString() is { } s) required.Add(s);

        var taken = new HashSet<string>(StringComparer.Ordinal);
        var options = new List<SlashOption>();
        foreach (var p in props.EnumerateObject())
        {
            var isRequired = required.Contains(p.Name);
            var (type, json) = TypeOf(p.Value);
            if (json && !isRequired) continue; // arrays/objects: only offered (as JSON text) when the tool cannot do without
            var name = CommandText.Unique(CommandText.NormalizeName(p.Name), taken);
            var text = p.Value.TryGetProperty("description", out var d) ? d.GetString() : null;
            var description = json
                ? CommandText.Description($"{(string.IsNullOrWhiteSpace(text) ? p.Name : text)} (JSON)", p.Name)
                : CommandText.Description(text, p.Name);
            var enumValues = EnumValues(p.Value);
            options.Add(new SlashOption(name, p.Name, type, description, isRequired)
            {
                Json = json,
                Choices = enumValues.Count is > 0 and <= MaxChoices ? enumValues : [],
                EnumValues = enumValues,
                Autocomplete = type == DiscordOptionType.String && !json &&
                               (enumValues.Count > MaxChoices || (enumValues.Count == 0 && hasSuggestions)),
            });
        }
        return options.OrderByDescending(o => o.Required).Take(MaxOptions).ToList();
    }

    private static (DiscordOptionType Type, bool Json) TypeOf(JsonElement property)
    {
        var type = "string";
        if (property.TryGetProperty("type", out var t))
        {
            if (t.ValueKind == JsonValueKind.String) type = t.GetString() ?? "string";
            else if (t.ValueKind == JsonValueKind.Array)
                type = t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x is not null and not "null") ?? "string";
        }
        else if (property.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array &&
                 e.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number))
        {
            type = "integer";
        }
        return type switch
        {
            "integer" => (DiscordOptionType.Integer, false),
            "number" => (DiscordOptionType.Number, false),
            "boolean" => (DiscordOptionType.Boolean, false),
            "string" => (DiscordOptionType.String, false),
            _ => (DiscordOptionType.String, true),
        };
    }

    private static List<string> EnumValues(JsonElement property)
    {
        if (!property.TryGetProperty("enum", out var e) || e.ValueKind != JsonValueKind.Array) return [];
        return e.EnumerateArray()
            .Where(x => x.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            .Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText())
            .ToList();
    }
}
