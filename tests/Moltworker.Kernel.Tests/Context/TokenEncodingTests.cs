using Moltworker.Testing.Text;
using System.Text;
using Moltworker.Kernel.Context;

namespace Moltworker.Kernel.Tests.Context;

/// <summary>The fast counting path (pre-token by pre-token with remembered counts, and big texts in pieces on several
/// threads) gives exactly the library's own counts.</summary>
public sealed class TokenEncodingTests
{
    private static readonly string[] Encodings = [TokenEncodings.O200kBase, TokenEncodings.Cl100kBase];

    /// <summary>Text of every kind the cut rules must keep whole: white space runs, CJK, emoji, digits, marks,
    /// contractions, camel case, code, special-token text and line breaks of both kinds.</summary>
    private static readonly string Mixed = """
        The quick brown fox jumps over the lazy dog. It's what they'd've DONE, isn't it?
        Привет, как дела? 你好，世界！日本語のテキスト 한국어 텍스트
        🙂🚀 emoji and   spaces		tabs   
           indented line with trailing spaces    
        numbers 1234567890 3.14159 1,000,000 and 2026-12-03T19:50:00Z
        def add(a, b):
            return a + b  # comment

        camelCaseWords and PascalCaseWords and SCREAMING_CASE, naïve café
        https://example.com/path?q=token+count&lang=en <|endoftext|> <|endofprompt|>
        a b c d e f g h i j k l m n o p
        """ + "\ne\u0301te\u0301 x\u0301 y\r\nWindows line\r\nbreaks\r\n\r\nand \n\n\n several blank lines\n\u00A0non-breaking\u00A0spaces";

    private static TiktokenEncoding Encoding(string name) => (TiktokenEncoding)TokenEncodings.For(name);

    public static TheoryData<string> Fixtures => new()
    {
        "hello world", "tiktoken is great!", "The quick brown fox jumps over the lazy dog.", "Привет, как дела? 你好，世界！",
        "def add(a, b):\n    return a + b\n", "🙂🚀 emoji and   spaces\t\ttabs", "https://example.com/path?q=token+count&lang=en",
        "antidisestablishmentarianism", "<|endoftext|>", "a", " ", "\n", "   \n\n  ", Mixed,
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_fast_path_counts_what_the_library_counts_on_the_fixture_set(string text)
    {
        foreach (var name in Encodings)
        {
            var encoding = Encoding(name);
            Assert.Equal(encoding.CountWithLibrary(text), encoding.Count(text));
            Assert.Equal(encoding.CountWithLibrary(text), encoding.Count(text.AsSpan()));
            Assert.Equal(encoding.CountWithLibrary(text), encoding.Count(text)); // again, from the remembered counts
        }
    }

    [Fact]
    public void Every_safe_cut_splits_the_count_exactly_and_none_falls_inside_a_run()
    {
        var cuts = Enumerable.Range(0, Mixed.Length).Where(i => TokenCuts.IsSafe(Mixed, i)).ToList();
        Assert.True(cuts.Count > 50, $"only {cuts.Count} cuts");
        foreach (var name in Encodings)
        {
            var encoding = Encoding(name);
            var whole = encoding.CountWithLibrary(Mixed);
            foreach (var cut in cuts)
                Assert.True(whole == encoding.CountWithLibrary(Mixed.AsSpan(0, cut)) + encoding.CountWithLibrary(Mixed.AsSpan(cut)),
                    $"{name}: cutting before {cut} ({Mixed[Math.Max(0, cut - 5)..cut]}|{Mixed[cut..Math.Min(Mixed.Length, cut + 5)]}) changes the count");
        }
        // Nothing is cut inside a run of white space, digits, CJK punctuation or emoji, nor next to a mark.
        Assert.All(cuts, cut => Assert.False(char.IsWhiteSpace(Mixed[cut - 1]) && Mixed[cut - 1] != '\n'));
        Assert.All(cuts, cut => Assert.False(char.IsDigit(Mixed[cut - 1]) || char.IsDigit(Mixed[cut]) || char.IsSurrogate(Mixed[cut])));
    }

    [Fact]
    public void Big_texts_counted_in_pieces_on_several_threads_count_what_the_library_counts()
    {
        // Long runs the nominal cut positions fall into: white space, CJK, emoji and digits, between short prose.
        var text = new StringBuilder();
        var runs = new[] { new string(' ', 9_000), string.Concat(Enumerable.Repeat("日本語", 4_000)), string.Concat(Enumerable.Repeat("🙂", 5_000)),
                           string.Concat(Enumerable.Repeat("0123456789", 1_000)), string.Concat(Enumerable.Repeat("\n \t", 3_000)) };
        for (var i = 0; text.Length < 3 * TiktokenEncoding.ParallelFrom; i++)
            text.Append(runs[i % runs.Length]).Append(i % 2 == 0 ? "\nNext line of prose, then a run" : " word then a run");
        var big = text.ToString();
        // Every nominal split point lies inside a run, so the pieces start at the next safe cut.
        Assert.True(TokenCuts.Split(big, 4).Count > 3);

        foreach (var name in Encodings)
        {
            var encoding = Encoding(name);
            Assert.Equal(encoding.CountWithLibrary(big), encoding.Count(big));
            // Without any safe cut the text is counted whole.
            var noCut = string.Concat(Enumerable.Repeat("12345 🙂 ", 20_000));
            Assert.Equal(-1, TokenCuts.Next(noCut, 0));
            Assert.Equal(encoding.CountWithLibrary(noCut), encoding.Count(noCut));
        }
    }

    [Fact]
    public void A_megabyte_of_the_docs_counts_what_the_library_counts()
    {
        var text = DocsText.Of(1_000_000);
        foreach (var name in Encodings)
        {
            var encoding = Encoding(name);
            var expected = encoding.CountWithLibrary(text);
            Assert.Equal(expected, encoding.Count(text));
            Assert.Equal(expected, encoding.Count(text.AsSpan()));
            // Pieces cut at many places of the docs, counted one by one, add up too.
            var starts = TokenCuts.Split(text, 64);
            Assert.Equal(65, starts.Count);
            Assert.Equal(expected, starts.Zip(starts.Skip(1)).Sum(p => encoding.Count(text.AsSpan(p.First, p.Second - p.First))));
        }
    }
}
