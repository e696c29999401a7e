using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Moltworker.Channels.Discord.Gateway;

/// <summary>
/// Reads one gateway payload's envelope: a JSON object with a numeric <c>op</c>, an optional sequence <c>s</c>, the data
/// <c>d</c> and, for dispatches, a string event name <c>t</c>. A payload that is not one is refused with a reason, so
/// the connection skips it instead of reconnecting (a resumed session would replay it forever).
/// </summary>
public sealed class GatewayFrame : IDisposable
{
    private readonly JsonDocument _document;

    private GatewayFrame(JsonDocument document, int op, long? sequence, JsonElement data, string? eventName)
    {
        _document = document;
        Op = op;
        Sequence = sequence;
        Data = data;
        EventName = eventName;
    }

    public int Op { get; }
    public long? Sequence { get; }
    public JsonElement Data { get; }
    public string? EventName { get; }

    public static bool TryParse(string text, [NotNullWhen(true)] out GatewayFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        JsonDocument document;
        try { document = JsonDocument.Parse(text); }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            error = "not JSON: " + ex.Message;
            return false;
        }
        var root = document.RootElement;
        error = root.ValueKind != JsonValueKind.Object ? "not an object"
            : !root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.Number || !op.TryGetInt32(out _) ? "no numeric op"
            : null;
        if (error is not null)
        {
            document.Dispose();
            return false;
        }
        var opCode = root.GetProperty("op").GetInt32();
        long? sequence = root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : null;
        var data = root.TryGetProperty("d", out var d) ? d : default;
        string? name = null;
        if (root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String)
        {
            try { name = t.GetString(); }
            catch (InvalidOperationException) { } // an unpaired surrogate: no usable event name
        }
        if (opCode == GatewayOpcodes.Dispatch && name is null)
        {
            document.Dispose();
            error = "a dispatch without an event name";
            return false;
        }
        frame = new GatewayFrame(document, opCode, sequence, data, name);
        return true;
    }

    public void Dispose() => _document.Dispose();
}
