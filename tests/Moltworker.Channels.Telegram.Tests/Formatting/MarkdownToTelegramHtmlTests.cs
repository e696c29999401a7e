using Moltworker.Channels.Telegram.Formatting;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.Formatting;

public class MarkdownToTelegramHtmlTests
{
    [Theory]
    [InlineData("a < b & c > d", "a &lt; b &amp; c &gt; d")]
    [InlineData("**bold** and _it_ and ~~gone~~", "<b>bold</b> and <i>it</i> and <s>gone</s>")]
    [InlineData("`x<y>`", "<code>x&lt;y&gt;</code>")]
    [InlineData("# Title", "<b>Title</b>")]
    [InlineData("- one\n- two", "• one\n• two")]
    [InlineData("1. one\n2. two", "1. one\n2. two")]
    [InlineData("> quoted", "<blockquote>quoted</blockquote>")]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("[bad](javascript:alert(1))", "bad")]
    [InlineData("[x](https://e.com/?a=1&b=\"2\")", "<a href=\"https://e.com/?a=1&amp;b=&quot;2&quot;\">x</a>")]
    public void Converts_to_the_supported_subset(string markdown, string expected) =>
        Assert.Equal(expected, MarkdownToTelegramHtml.Convert(markdown));

    [Fact]
    public void Code_blocks_keep_their_language_and_escape_content()
    {
        var html = MarkdownToTelegramHtml.Convert("```csharp\nif (a < b && c) {}\n```");
        Assert.Equal("<pre><code class=\"language-csharp\">if (a &lt; b &amp;&amp; c) {}</code></pre>", html);
    }

    [Fact]
    public void Lone_surrogates_are_repaired()
    {
        var html = MarkdownToTelegramHtml.Convert("broken \uD83D here");
        Assert.Equal("broken \uFFFD here", html);
    }

    [Fact]
    public void Random_markdown_always_gives_html_telegram_accepts()
    {
        var generator = new RandomMarkdown(seed: 4242);
        for (var i = 0; i < 300; i++)
        {
            var markdown = generator.Document(blocks: 1 + i % 12);
            var html = MarkdownToTelegramHtml.Convert(markdown);
            Assert.True(TelegramHtmlParser.TryParse(html, out _, out var error), $"case {i}: {error}\n{markdown}\n---\n{html}");
        }
    }

    [Fact]
    public void Very_long_urls_stay_text_so_every_part_fits()
    {
        var url = "https://example.com/" + new string('a', 5000);
        var html = MarkdownToTelegramHtml.Convert($"[x]({url}) and <{url}>");
        Assert.DoesNotContain("<a ", html);
        Assert.All(MessageSplitter.Split(html), p => Assert.True(p.Length <= MessageSplitter.TelegramLimit));
    }
}
