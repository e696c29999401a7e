using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Context;

/// <summary>The older messages as the summarizing model reads them: one plain-text piece per message (who said it, the
/// tool calls with their arguments, the tool results), newest kept first when they do not all fit its request.</summary>
public static class CompactionTranscript
{
    private static readonly JsonSerializerOptions Json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>The transcript of <paramref name="previous"/> (the summary so far, if any) and
    /// <paramref name="messages"/>, within <paramref name="maxTokens"/>: when it is longer, the oldest pieces are left
    /// out and a line says how many.</summary>
    public static string Render(TokenEncoding encoding, string? previous, IReadOnlyList<ChatMessage> messages, int maxTokens)
    {
        var pieces = new List<string>(messages.Count + 1);
        if (!string.IsNullOrWhiteSpace(previous)) pieces.Add($"[summary of what came before]\n{previous.Trim()}");
        foreach (var message in messages) pieces.Add(Piece(message));

        var room = maxTokens;
        var first = pieces.Count;
        while (first > 0)
        {
            var cost = encoding.Count(pieces[first - 1]) + 1;
            if (cost > room) break;
            room -= cost;
            first--;
        }
        var text = new StringBuilder();
        if (first > 0) text.Append("[").Append(first).Append(" older part(s) left out: too long to summarize at once]\n\n");
        // The newest piece alone may be longer than the room: its start goes, its end stays.
        if (first == pieces.Count && pieces.Count > 0)
            return text.Append(TextCut.KeepEnd(encoding, pieces[^1], Math.Max(0, room - 16))).ToString();
        for (var i = first; i < pieces.Count; i++) text.Append(pieces[i]).Append("\n\n");
        return text.ToString().TrimEnd();
    }

    private static string Piece(ChatMessage message)
    {
        var text = new StringBuilder();
        text.Append(message.Role.Value).Append(':');
        foreach (var content in message.Contents)
            switch (content)
            {
                case TextContent t when !string.IsNullOrWhiteSpace(t.Text):
                    text.Append(' ').Append(t.Text.Trim());
                    break;
                case FunctionCallContent call:
                    text.Append(" [called ").Append(call.Name).Append(' ')
                        .Append(JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), Json)).Append(']');
                    break;
                case FunctionResultContent result:
                    text.Append(" [result of ").Append(result.CallId).Append("] ")
                        .Append(result.Result is string s ? s : JsonSerializer.Serialize(result.Result, Json));
                    break;
                case DataContent or UriContent:
                    text.Append(" [attachment]");
                    break;
            }
        return text.ToString();
    }
}
