using CsCheck;
using Moltworker.Channels.Telegram.Formatting;
using Moltworker.Fuzz.Tests.Support;
using Moltworker.Testing.Telegram;
using Xunit.Abstractions;

namespace Moltworker.Fuzz.Tests.Suites;

/// <summary>Markdown to Telegram HTML, then message splitting: every part is HTML Telegram accepts (no broken tags or
/// entities), no part splits a surrogate pair, no part is over the limit.</summary>
public sealed class FormattingFuzzTests(ITestOutputHelper output)
{
    private static readonly Gen<(string Markdown, int Limit)> Cases =
        from markdown in Gen.OneOf<string>(
            TextGen.Text(60),
            Gen.OneOf<string>("**bold** _it_ `code` [link](http://x?a=1&b=2)", "```cs\nvar a = 1 < 2;\n```", "> quote\n- item\n1. one", "# Title\n\ntext")
                .Array[1, 6].Select(parts => string.Join(" ", parts)))
        from limit in Gen.OneOf<int>(Gen.Int[64, 200], Gen.Const(MessageSplitter.TelegramLimit))
        select (markdown, limit);

    internal static void Parts_are_valid((string Markdown, int Limit) c)
    {
        var html = MarkdownToTelegramHtml.Convert(c.Markdown);
        foreach (var part in MessageSplitter.Split(html, c.Limit))
        {
            Assert.True(part.Length <= c.Limit, $"a part of {part.Length} > {c.Limit}");
            for (var i = 0; i < part.Length; i++)
            {
                if (char.IsHighSurrogate(part[i])) Assert.True(i + 1 < part.Length && char.IsLowSurrogate(part[i + 1]), "split surrogate pair");
                else if (char.IsLowSurrogate(part[i])) Assert.True(i > 0 && char.IsHighSurrogate(part[i - 1]), "lone low surrogate");
            }
            Assert.True(TelegramHtmlParser.TryParse(part, out _, out var error), $"Telegram would refuse {part}: {error}");
        }
    }

    [Fact]
    public void Markdown_becomes_parts_Telegram_accepts() =>
        Fuzzing.Run("markdown-to-telegram-html + split", Cases, Parts_are_valid, output);
}
