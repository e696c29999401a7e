using System.Text;
using System.Text.Json;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Http;

namespace Moltworker.Plugins.BuiltIn.GitHub;

/// <summary>Compact, model-friendly renderings of GitHub contents and API answers.</summary>
internal static class GitHubFormat
{
    public static string File(JsonElement root, string repo, string path, int maxChars)
    {
        if (root.ValueKind == JsonValueKind.Array)
            throw new ToolException($"{path} in {repo} is a folder; use github_list_files");
        var type = UpstreamJson.String(root, "type");
        if (type != "file") throw new ToolException($"{path} in {repo} is a {type}, not a file");
        var size = UpstreamJson.Number(root, "size") ?? 0;
        if (UpstreamJson.String(root, "encoding") != "base64" || UpstreamJson.String(root, "content") is not { } encoded)
            throw new ToolException($"{path} in {repo} is too large for the contents API ({size:0} bytes)");
        var bytes = Convert.FromBase64String(encoded.Replace("\n", "").Replace("\r", ""));
        if (Array.IndexOf(bytes, (byte)0) >= 0) return $"{repo}/{path}: binary file, {bytes.Length} bytes";
        var text = Encoding.UTF8.GetString(bytes);
        var head = $"{repo}/{path} ({bytes.Length} bytes)\n\n";
        return text.Length > maxChars
            ? head + text[..maxChars] + $"\n\n[truncated: showing the first {maxChars} characters]"
            : head + text;
    }

    public static string Listing(JsonElement root, string repo, string? path)
    {
        if (root.ValueKind != JsonValueKind.Array)
            throw new ToolException($"{path} in {repo} is a file; use github_read_file");
        var where = string.IsNullOrWhiteSpace(path) ? "/" : path.Trim('/') + "/";
        var text = new StringBuilder($"{repo}:{where} ({root.GetArrayLength()} entries)");
        foreach (var entry in root.EnumerateArray().OrderBy(e => UpstreamJson.String(e, "type") == "dir" ? 0 : 1).ThenBy(e => UpstreamJson.String(e, "name"), StringComparer.Ordinal))
        {
            var name = UpstreamJson.String(entry, "name") ?? "?";
            text.Append('\n');
            if (UpstreamJson.String(entry, "type") == "dir") text.Append(name).Append('/');
            else text.Append(name).Append(" (").Append(UpstreamJson.Number(entry, "size") ?? 0).Append(" bytes)");
        }
        return text.ToString();
    }

    public static string ApiResult(UpstreamResponse response, int maxChars)
    {
        var body = response.Body;
        if (body.Length > 0 && response.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                body = JsonSerializer.Serialize(json.RootElement);
            }
            catch (JsonException)
            {
                // Pass through as text.
            }
        }
        var head = $"HTTP {(int)response.Status} {response.ReasonPhrase}";
        if (body.Length == 0) return head;
        if (response.Truncated || body.Length > maxChars)
            return $"{head}\n{body[..Math.Min(body.Length, maxChars)]}\n[truncated: showing the first {Math.Min(body.Length, maxChars)} characters]";
        return $"{head}\n{body}";
    }
}
