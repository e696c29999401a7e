using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Moltworker.Channels.Discord.Commands;

/// <summary>A slash command as registered with Discord, and what it runs here.</summary>
public sealed record SlashCommand(string Name, string Description, SlashCommandKind Kind, IReadOnlyList<SlashOption> Options)
{
    /// <summary>The kernel command to run (the catalog name, before Discord normalisation).</summary>
    public string Target { get; init; } = Name;

    public AIFunction? Tool { get; init; }

    public SlashOption? Option(string name) => Options.FirstOrDefault(o => o.Name == name);

    /// <summary>The application command object for Discord's bulk overwrite (type 1: CHAT_INPUT).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["name"] = Name,
            ["type"] = 1,
            ["description"] = Description,
        };
        if (Options.Count > 0) o["options"] = new JsonArray(Options.Select(x => (JsonNode)x.ToJson()).ToArray());
        return o;
    }
}
