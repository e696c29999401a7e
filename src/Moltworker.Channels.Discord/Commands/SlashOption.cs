using System.Text.Json.Nodes;

namespace Moltworker.Channels.Discord.Commands;

/// <summary>One option of a slash command and the tool parameter it fills.</summary>
public sealed record SlashOption(string Name, string Parameter, DiscordOptionType Type, string Description, bool Required)
{
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Values are suggested while typing (by the tool's <c>IToolSuggestions</c> or from a long enum).</summary>
    public bool Autocomplete { get; init; }

    /// <summary>Values for an enum too long for choices (used by autocomplete).</summary>
    public IReadOnlyList<string> EnumValues { get; init; } = [];

    /// <summary>The tool wants an array or object: the text is parsed as JSON when it is JSON.</summary>
    public bool Json { get; init; }

    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["type"] = (int)Type,
            ["name"] = Name,
            ["description"] = Description,
        };
        if (Required) o["required"] = true;
        if (Choices.Count > 0)
            o["choices"] = new JsonArray(Choices.Select(c => (JsonNode)new JsonObject { ["name"] = CommandText.Trim(c, 100), ["value"] = Choice(c) }).ToArray());
        else if (Autocomplete)
            o["autocomplete"] = true;
        return o;
    }

    private JsonNode Choice(string value) => Type switch
    {
        DiscordOptionType.Integer when long.TryParse(value, out var l) => JsonValue.Create(l),
        DiscordOptionType.Number when double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };
}
