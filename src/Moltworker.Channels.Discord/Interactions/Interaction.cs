using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>The parts of a Discord interaction Moltworker uses.</summary>
public sealed record Interaction(string Id, int Type, string Token)
{
    public string? GuildId { get; init; }
    public string? ChannelId { get; init; }
    public string? UserId { get; init; }
    public IReadOnlyList<string> RoleIds { get; init; } = [];
    public string? CommandName { get; init; }
    public IReadOnlyList<InteractionOption> Options { get; init; } = [];

    /// <summary>A message component's <c>data.custom_id</c> (type 3): which button was pressed.</summary>
    public string? CustomId { get; init; }

    /// <summary>The id of the message a pressed component belongs to (type 3).</summary>
    public string? MessageId { get; init; }

    /// <summary>Parses an interaction object; false with a reason when it is not one.</summary>
    public static bool TryParse(string json, [NotNullWhen(true)] out Interaction? interaction, [NotNullWhen(false)] out string? error)
    {
        interaction = null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return TryParse(doc.RootElement, out interaction, out error);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            error = $"not JSON: {ex.Message}";
            return false;
        }
    }

    public static bool TryParse(JsonElement root, [NotNullWhen(true)] out Interaction? interaction, [NotNullWhen(false)] out string? error)
    {
        interaction = null;
        error = null;
        if (root.ValueKind != JsonValueKind.Object) { error = "not an object"; return false; }
        var id = Str(root, "id");
        var token = Str(root, "token");
        if (!root.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.Number || !t.TryGetInt32(out var type)) { error = "no numeric type"; return false; }
        if (id is null || (token is null && type != InteractionType.Ping)) { error = "no id or token"; return false; }

        var member = root.TryGetProperty("member", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var user = member.ValueKind == JsonValueKind.Object && member.TryGetProperty("user", out var mu) ? mu
                 : root.TryGetProperty("user", out var u) ? u : default;
        var roles = member.ValueKind == JsonValueKind.Object && member.TryGetProperty("roles", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(TextOf).OfType<string>().ToList() : [];
        var channelId = Str(root, "channel_id") ??
                        (root.TryGetProperty("channel", out var ch) && ch.ValueKind == JsonValueKind.Object ? Str(ch, "id") : null);

        string? name = null;
        string? customId = null;
        var options = new List<InteractionOption>();
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            name = Str(data, "name");
            customId = Str(data, "custom_id");
            if (data.TryGetProperty("options", out var opts) && opts.ValueKind == JsonValueKind.Array)
            {
                foreach (var o in opts.EnumerateArray())
                {
                    if (o.ValueKind != JsonValueKind.Object || Str(o, "name") is not { } on) { error = "malformed option"; return false; }
                    var ot = o.TryGetProperty("type", out var oty) && oty.ValueKind == JsonValueKind.Number && oty.TryGetInt32(out var oti) ? oti : 0;
                    var value = o.TryGetProperty("value", out var v) ? v.Clone() : default;
                    var focused = o.TryGetProperty("focused", out var f) && f.ValueKind == JsonValueKind.True;
                    options.Add(new InteractionOption(on, ot, value, focused));
                }
            }
        }
        if (type is InteractionType.ApplicationCommand or InteractionType.Autocomplete)
        {
            if (name is null) { error = "command without data.name"; return false; }
            if (user.ValueKind != JsonValueKind.Object || Str(user, "id") is null) { error = "command without a user"; return false; }
        }
        if (type == InteractionType.MessageComponent)
        {
            if (customId is null) { error = "component without data.custom_id"; return false; }
            if (user.ValueKind != JsonValueKind.Object || Str(user, "id") is null) { error = "component without a user"; return false; }
        }

        interaction = new Interaction(id, type, token ?? "")
        {
            GuildId = Str(root, "guild_id"),
            ChannelId = channelId,
            UserId = user.ValueKind == JsonValueKind.Object ? Str(user, "id") : null,
            RoleIds = roles,
            CommandName = name,
            Options = options,
            CustomId = customId,
            MessageId = root.TryGetProperty("message", out var msg) && msg.ValueKind == JsonValueKind.Object ? Str(msg, "id") : null,
        };
        return true;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => TextOf(v),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    /// <summary>The string, or null when it holds an escaped unpaired surrogate, which GetString refuses by throwing.</summary>
    private static string? TextOf(JsonElement v)
    {
        try { return v.GetString(); }
        catch (InvalidOperationException) { return null; }
    }
}
