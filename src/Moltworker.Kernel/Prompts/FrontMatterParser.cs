using YamlDotNet.Serialization;

namespace Moltworker.Kernel.Prompts;

/// <summary>Splits "---\nyaml\n---\nbody" into front matter (YAML, read with YamlDotNet) and body. Bad front matter
/// throws <see cref="FrontMatterException"/> with the line of the file it is on.</summary>
public static class FrontMatterParser
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    public static PromptDocument Parse(string name, string text)
    {
        text = text.Replace("\r\n", "\n");
        if (!text.StartsWith("---\n", StringComparison.Ordinal)) return new PromptDocument(name, new Dictionary<string, object?>(), text.Trim());
        var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0) throw new FrontMatterException(name, 1, "the front matter has no closing '---'");
        var yaml = end < 4 ? "" : text[4..end];
        var bodyStart = text.IndexOf('\n', end + 4);
        var body = bodyStart < 0 ? "" : text[(bodyStart + 1)..];
        Dictionary<string, object?> front;
        try { front = Yaml.Deserialize<Dictionary<string, object?>>(yaml) ?? []; }
        catch (YamlDotNet.Core.YamlException ex)
        {
            // YamlDotNet counts lines from 1 inside the front matter; the file has the opening '---' above it.
            var line = (int)Math.Max(1, ex.Start.Line) + 1;
            throw new FrontMatterException(name, line, $"invalid YAML front matter: {Innermost(ex).Message}", ex);
        }
        return new PromptDocument(name, front, body.Trim());
    }

    private static Exception Innermost(YamlDotNet.Core.YamlException ex) => ex.InnerException is YamlDotNet.Core.YamlException inner ? Innermost(inner) : ex;
}

/// <summary>A prompt file's front matter cannot be read; <see cref="Line"/> is the line of the file (from 1).</summary>
public sealed class FrontMatterException(string name, int line, string reason, Exception? inner = null)
    : FormatException($"Prompt '{name}', line {line}: {reason}", inner)
{
    public string PromptName { get; } = name;
    public int Line { get; } = line;
    public string Reason { get; } = reason;
}
