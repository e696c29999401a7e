using System.Text.Json;
using Moltworker.Channels.Discord.Commands;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>Turns Discord option values into the tool's arguments (keyed by the tool's parameter names).</summary>
public static class ArgumentConverter
{
    public static Dictionary<string, object?> Convert(SlashCommand command, IReadOnlyList<InteractionOption> given)
    {
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var o in given)
        {
            if (command.Option(o.Name) is not { } option) continue;
            args[option.Parameter] = Value(option, o.Value);
        }
        return args;
    }

    private static object? Value(SlashOption option, JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number:
                return option.Type == DiscordOptionType.Integer && v.TryGetInt64(out var l) ? (object)l : v.GetDouble();
            case JsonValueKind.String:
                var s = v.GetString() ?? "";
                if (option.Json)
                {
                    try { using var doc = JsonDocument.Parse(s); return doc.RootElement.Clone(); }
                    catch (JsonException) { return s; }
                }
                return s;
            case JsonValueKind.Undefined:
            case JsonValueKind.Null:
                return null;
            default:
                return v.Clone();
        }
    }
}
