using System.Text.Json;
using System.Text.Json.Nodes;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Answers;

/// <summary>Reads the model's JSON reply into an <see cref="AnswerPackage"/> and checks every citation against the
/// passages that were retrieved (<see cref="CitationCheck"/>). A reply that is not JSON becomes the summary.</summary>
public static class AnswerParser
{
    public static AnswerPackage Parse(string question, string reply, IReadOnlyList<SearchHit> passages)
    {
        var removed = new List<int>();
        string Check(string text)
        {
            var cited = CitationCheck.Apply(text, passages.Count);
            removed.AddRange(cited.Removed);
            return cited.Text.Trim();
        }

        var json = Json(reply);
        if (json is null) return new AnswerPackage(question, Check(reply), [], [], passages) { FromModel = true, RemovedCitations = removed.Count };

        var summary = Check(Text(json["summary"]));
        var points = new List<KeyPoint>();
        foreach (var node in json["key_points"] as JsonArray ?? new JsonArray())
        {
            var text = node is JsonObject o ? Text(o["text"]) : Text(node);
            var listed = (node as JsonObject)?["citations"] as JsonArray ?? new JsonArray();
            var numbers = listed.Select(n => n is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0).ToList();
            removed.AddRange(numbers.Where(n => n < 1 || n > passages.Count));
            var cited = CitationCheck.Apply(text, passages.Count);
            removed.AddRange(cited.Removed);
            var citations = numbers.Where(n => n >= 1 && n <= passages.Count).Concat(cited.Citations).Distinct().Order().ToList();
            if (cited.Text.Trim().Length > 0) points.Add(new KeyPoint(cited.Text.Trim(), citations));
        }
        var actions = (json["action_items"] as JsonArray ?? new JsonArray()).Select(a => Check(Text(a))).Where(a => a.Length > 0).ToList();
        return new AnswerPackage(question, summary, points, actions, passages) { FromModel = true, RemovedCitations = removed.Count };
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    /// <summary>The JSON object in the reply, tolerating a Markdown code fence around it.</summary>
    private static JsonObject? Json(string reply)
    {
        var start = reply.IndexOf('{');
        var end = reply.LastIndexOf('}');
        if (start < 0 || end <= start) return null;
        try { return JsonNode.Parse(reply[start..(end + 1)]) as JsonObject; }
        catch (JsonException) { return null; }
    }
}
