using YamlDotNet.Serialization;

namespace Moltworker.Kernel.Prompts;

/// <summary>Splits "---\nyaml\n---\nbody" into front matter and body.</summary>
public static class FrontMatterParser
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    public static PromptDocument Parse(string name, string text)
    {
        text = text.Replace("\r\n", "\n");
        if (!text.StartsWith("---\n", StringComparison.Ordinal)) return new PromptDocument(name, new Dictionary<string, object?>(), text.Trim());
        var end = text.IndexOf("\n---", 4, StringComparison.Ordinal);
        if (end < 0) throw new FormatException($"Prompt '{name}': the front matter has no closing '---'.");
        var yaml = text[4..end];
        var bodyStart = text.IndexOf('\n', end + 4);
        var body = bodyStart < 0 ? "" : text[(bodyStart + 1)..];
        Dictionary<string, object?> front;
        try { front = Yaml.Deserialize<Dictionary<string, object?>>(yaml) ?? []; }
        catch (YamlDotNet.Core.YamlException ex) { throw new FormatException($"Prompt '{name}': invalid YAML front matter: {ex.Message}", ex); }
        return new PromptDocument(name, front, body.Trim());
    }
}
