using System.Text;

namespace Moltworker.Channels.Telegram.Tests.Formatting;

/// <summary>Random Markdown documents with a fixed seed: emphasis, links, code, lists, quotes, tables,
/// raw HTML, characters that need escaping, emoji (surrogate pairs, ZWJ sequences) and long words.</summary>
internal sealed class RandomMarkdown(int seed)
{
    private static readonly string[] Words =
        ["alpha", "beta", "a<b", "x&y", "1>0", "\"quoted\"", "it's", "naïve", "日本語", "😀", "👍🏽", "👨‍👩‍👧", "🇩🇪", "&amp;", "&lt;tag&gt;", "<br>", "*", "_", "`", "~", "\\", "#", "[x]", "(y)", "𝔘𝔫𝔦"];

    private readonly Random _random = new(seed);

    public string Document(int blocks)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < blocks; i++)
        {
            sb.Append(_random.Next(9) switch
            {
                0 => "# " + Inline(4),
                1 => CodeBlock(),
                2 => List(),
                3 => "> " + Inline(10),
                4 => "| a | b |\n|---|---|\n| " + Inline(2) + " | " + Inline(2) + " |",
                5 => "<div>" + Inline(3) + "</div>",
                6 => new string('x', _random.Next(50, 700)),
                _ => Paragraph(),
            });
            sb.Append(_random.Next(3) == 0 ? "\n" : "\n\n");
        }
        return sb.ToString();
    }

    private string Paragraph()
    {
        var lines = _random.Next(1, 6);
        return string.Join("\n", Enumerable.Range(0, lines).Select(_ => Inline(_random.Next(3, 40))));
    }

    private string List() => string.Join("\n", Enumerable.Range(0, _random.Next(1, 6))
        .Select(i => (_random.Next(2) == 0 ? "- " : $"{i + 1}. ") + (_random.Next(4) == 0 ? "  - " : "") + Inline(5)));

    private string CodeBlock()
    {
        var lang = _random.Next(3) switch { 0 => "", 1 => "csharp", _ => "c++" };
        var lines = Enumerable.Range(0, _random.Next(1, 60)).Select(_ => "if (a < b && c > d) { x = \"<y>\"; } // 😀 " + Word());
        return $"```{lang}\n{string.Join("\n", lines)}\n```";
    }

    private string Inline(int words)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(_random.Next(12) switch
            {
                0 => $"**{Word()} {Word()}**",
                1 => $"_{Word()}_",
                2 => $"`{Word()} <&>`",
                3 => $"[{Word()}](https://example.com/?q={Word()}&x=\"1\")",
                4 => $"~~{Word()}~~",
                5 => "<https://example.org/a?b=c&d=e>",
                6 => "[bad](javascript:alert(1))",
                _ => Word(),
            });
        }
        return sb.ToString();
    }

    private string Word() => Words[_random.Next(Words.Length)];
}
