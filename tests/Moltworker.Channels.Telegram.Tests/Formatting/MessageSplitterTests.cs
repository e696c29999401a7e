using System.Text;
using Moltworker.Channels.Telegram.Formatting;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.Formatting;

public class MessageSplitterTests
{
    [Fact]
    public void Short_text_is_one_part() => Assert.Equal(["hello"], MessageSplitter.Split("hello"));

    [Fact]
    public void Splits_at_paragraphs_first()
    {
        var p1 = new string('a', 60) + " " + new string('b', 30);
        var p2 = new string('c', 50);
        var parts = MessageSplitter.Split(p1 + "\n\n" + p2, 100);
        Assert.Equal([p1, p2], parts);
    }

    [Fact]
    public void Splits_at_lines_when_a_paragraph_is_too_long()
    {
        var l1 = new string('a', 40) + " " + new string('a', 40);
        var l2 = new string('b', 70);
        Assert.Equal([l1, l2], MessageSplitter.Split(l1 + "\n" + l2, 100));
    }

    [Fact]
    public void Splits_at_words_when_a_line_is_too_long()
    {
        var words = string.Join(' ', Enumerable.Repeat("word", 60));
        var parts = MessageSplitter.Split(words, 100);
        Assert.All(parts, p => Assert.True(p.Length <= 100));
        Assert.All(parts, p => Assert.DoesNotContain(" ", p[..1] + p[^1..]));
        Assert.All(parts, p => Assert.All(p.Split(' '), w => Assert.Equal("word", w)));
    }

    [Fact]
    public void Hard_cuts_never_break_a_surrogate_pair()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 200));
        var parts = MessageSplitter.Split(emoji, 101);
        Assert.All(parts, p => { Assert.True(p.Length <= 101); AssertNoLoneSurrogate(p); });
        Assert.Equal(emoji, string.Concat(parts));
    }

    [Fact]
    public void Entities_are_never_cut()
    {
        var html = string.Concat(Enumerable.Repeat("&amp;", 100));
        var parts = MessageSplitter.Split(html, 98);
        Assert.All(parts, p => Assert.True(TelegramHtmlParser.TryParse(p, out _, out _)));
        Assert.Equal(html, string.Concat(parts));
    }

    [Fact]
    public void A_split_code_block_is_closed_and_reopened()
    {
        var code = string.Join("\n", Enumerable.Range(0, 400).Select(i => $"line {i} <x>"));
        var html = MarkdownToTelegramHtml.Convert($"Intro\n\n```python\n{code}\n```\n\nOutro");
        var parts = MessageSplitter.Split(html);
        Assert.True(parts.Count >= 2);
        var codeParts = parts.Where(p => p.Contains("line ")).ToList();
        Assert.True(codeParts.Count >= 2);
        foreach (var part in parts.Skip(1).Where(p => p.Contains("line ")))
            Assert.StartsWith("<pre><code class=\"language-python\">", part);
        foreach (var part in parts.Where(p => p.Contains("line ")).SkipLast(1))
            Assert.EndsWith("</code></pre>", part);
        Assert.All(parts, p => Assert.True(TelegramHtmlParser.TryParse(p, out _, out var e), e));
    }

    [Fact]
    public void Random_markdown_splits_into_valid_parts_that_keep_all_text()
    {
        var generator = new RandomMarkdown(seed: 777);
        var limits = new[] { 120, 333, 1000, MessageSplitter.TelegramLimit };
        for (var i = 0; i < 100; i++)
        {
            var html = MarkdownToTelegramHtml.Convert(generator.Document(blocks: 2 + i % 30));
            Assert.True(TelegramHtmlParser.TryParse(html, out var fullText, out _));
            foreach (var limit in limits)
            {
                var parts = MessageSplitter.Split(html, limit);
                var texts = new StringBuilder();
                foreach (var part in parts)
                {
                    Assert.True(part.Length <= limit, $"case {i}: part of {part.Length} > {limit}");
                    AssertNoLoneSurrogate(part);
                    Assert.True(TelegramHtmlParser.TryParse(part, out var text, out var error), $"case {i}/{limit}: {error}\n{part}");
                    Assert.False(string.IsNullOrWhiteSpace(text));
                    texts.Append(text);
                }
                Assert.Equal(NoSpace(fullText), NoSpace(texts.ToString()));
            }
        }
    }

    private static string NoSpace(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));

    private static void AssertNoLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i])) { Assert.True(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]), "lone high surrogate"); i++; }
            else Assert.False(char.IsLowSurrogate(s[i]), "lone low surrogate");
        }
    }
}
