using System.Text;
using Moltworker.Knowledge.Chunking;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Text;

namespace Moltworker.Knowledge.Tests.Chunking;

public class ChunkingTests
{
    private static SourceDocument Markdown(string text) => DocumentReader.FromText("/docs/test.md", text, DocumentFormat.Markdown, DateTimeOffset.UnixEpoch);

    /// <summary>A generated Markdown document: nested headings, paragraphs of random length, lists and code blocks.</summary>
    private static string Generate(int seed)
    {
        var random = new Random(seed);
        var words = new[] { "alpha", "beta", "gamma", "delta", "plugin", "configuration", "retrieval", "x", "telemetry", "a", "supercalifragilistic", "tool", "42" };
        var builder = new StringBuilder("# Title of the document\n\nIntro paragraph before any subsection.\n\n");
        for (var section = 0; section < 6; section++)
        {
            builder.Append(random.Next(3) == 0 ? "### " : "## ").Append("Section ").Append(section).Append("\n\n");
            for (var p = 0; p < random.Next(1, 6); p++)
            {
                var length = random.Next(1, 260);
                for (var w = 0; w < length; w++) builder.Append(words[random.Next(words.Length)]).Append(w % 17 == 16 ? "\n" : " ");
                builder.Append("\n\n");
                if (random.Next(4) == 0) builder.Append("- item one\n- item two\n\n");
                if (random.Next(5) == 0) builder.Append("```bash\n# not a heading\necho hi\n```\n\n");
            }
        }
        return builder.ToString();
    }

    private static List<string> Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();

    [Theory]
    [InlineData(1, 60, 10)]
    [InlineData(2, 120, 20)]
    [InlineData(3, 350, 50)]
    [InlineData(4, 40, 0)]
    [InlineData(5, 16, 8)]
    public void No_text_is_lost_new_content_of_chunks_is_the_document_without_headings(int seed, int size, int overlap)
    {
        var text = Generate(seed);
        var chunks = new DocumentChunker(new ChunkingOptions(size, overlap)).Chunk(Markdown(text));

        var expected = Words(string.Join("\n", text.Split('\n').Where(l => !l.StartsWith('#') || l.StartsWith("# not"))));
        var actual = chunks.SelectMany(c => Words(text[c.Start..c.End])).ToList();
        Assert.Equal(expected, actual);
        Assert.All(chunks, c => Assert.Equal(text[c.TextStart..c.End], c.Text));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Position));
    }

    [Theory]
    [InlineData(7, 60, 10)]
    [InlineData(8, 120, 30)]
    [InlineData(9, 200, 50)]
    public void Overlap_repeats_the_configured_tokens_of_the_previous_chunk_in_the_same_section(int seed, int size, int overlap)
    {
        var text = Generate(seed);
        var chunks = new DocumentChunker(new ChunkingOptions(size, overlap)).Chunk(Markdown(text));
        var maxWord = Words(text).Max(w => TokenEstimator.ForWord(w.Length));
        var checkedPairs = 0;
        for (var i = 1; i < chunks.Count; i++)
        {
            var previous = chunks[i - 1];
            var chunk = chunks[i];
            if (!previous.HeadingPath.SequenceEqual(chunk.HeadingPath))
            {
                Assert.Equal(chunk.Start, chunk.TextStart); // a new section starts fresh
                continue;
            }
            var overlapText = text[chunk.TextStart..chunk.Start];
            Assert.True(chunk.TextStart >= previous.Start && chunk.Start >= previous.End, "overlap lies inside the previous chunk's content");
            Assert.EndsWith(overlapText.TrimEnd(), text[previous.Start..previous.End]);
            var tokens = TokenEstimator.Estimate(overlapText);
            var previousTokens = TokenEstimator.Estimate(text.AsSpan(previous.Start, previous.End - previous.Start));
            Assert.True(tokens >= Math.Min(overlap, previousTokens), $"overlap {tokens} < {overlap}");
            Assert.True(tokens < overlap + maxWord, $"overlap {tokens} ≥ {overlap} + one word");
            checkedPairs++;
        }
        Assert.True(checkedPairs > 3, "the generated document should produce several chunks per section");
        Assert.All(chunks, c => Assert.True(TokenEstimator.Estimate(c.Text) <= size + maxWord, $"chunk of {TokenEstimator.Estimate(c.Text)} tokens"));
    }

    [Fact]
    public void Headings_are_carried_as_paths_and_code_block_hashes_are_not_headings()
    {
        const string text = """
            # Guide

            Intro text.

            ## Install

            Run the installer.

            ```bash
            # this is a comment, not a heading
            ./install.sh
            ```

            ### On Linux

            Use the package.

            ## Configure

            Set the keys.
            """;
        var chunks = new DocumentChunker(new ChunkingOptions(200, 20)).Chunk(Markdown(text));
        Assert.Equal("Guide", Markdown(text).Title);
        Assert.Equal(
            [["Guide"], ["Guide", "Install"], ["Guide", "Install", "On Linux"], ["Guide", "Configure"]],
            chunks.Select(c => c.HeadingPath.ToArray()).ToArray());
        Assert.Contains("# this is a comment", chunks[1].Text);
        Assert.All(chunks, c => Assert.Equal("/docs/test.md", c.Source));
    }

    [Fact]
    public void Plain_text_and_code_have_no_headings_and_split_at_blank_lines()
    {
        var code = "# comment line\nint a = 1;\n\n# another\nint b = 2;\n";
        var doc = DocumentReader.FromText("/src/a.py", code, DocumentFormat.Code, DateTimeOffset.UnixEpoch);
        var chunks = new DocumentChunker(new ChunkingOptions(8, 0)).Chunk(doc);
        Assert.Equal("a.py", doc.Title);
        Assert.Equal(2, chunks.Count);
        Assert.All(chunks, c => Assert.Empty(c.HeadingPath));
        Assert.Equal("# comment line\nint a = 1;", chunks[0].Text);
    }

    [Fact]
    public void Front_matter_gives_title_and_tags_and_is_not_chunked()
    {
        var doc = Markdown("---\ntitle: Custom title\ntags: [ops, setup]\n---\n# Heading\n\nBody.\n");
        Assert.Equal("Custom title", doc.Title);
        Assert.Equal(["ops", "setup"], doc.Tags);
        var chunk = Assert.Single(new DocumentChunker(new ChunkingOptions()).Chunk(doc));
        Assert.Equal("Body.", chunk.Text);
        Assert.Equal(["ops", "setup"], chunk.Tags);
    }

    [Fact]
    public void Html_is_converted_so_headings_still_structure_the_chunks()
    {
        const string html = "<html><head><title>Page</title><script>var x;</script></head><body><nav>menu</nav><h1>Top</h1><p>First <b>para</b>.</p><h2>Sub</h2><ul><li>one</li><li>two</li></ul></body></html>";
        var doc = DocumentReader.FromText("https://example.test/page", html, DocumentFormat.Html, DateTimeOffset.UnixEpoch);
        var chunks = new DocumentChunker(new ChunkingOptions()).Chunk(doc);
        Assert.Equal("Page", doc.Title);
        Assert.DoesNotContain("var x", doc.Text);
        Assert.DoesNotContain("menu", doc.Text);
        Assert.Equal([["Top"], ["Top", "Sub"]], chunks.Select(c => c.HeadingPath.ToArray()).ToArray());
        Assert.Equal("First para.", chunks[0].Text);
        Assert.Contains("- one", chunks[1].Text);
    }

    [Fact]
    public void Invalid_settings_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunker(new ChunkingOptions(100, 60)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunker(new ChunkingOptions(4, 0)));
    }

    /// <summary>Counts what it is asked to count, in characters, as the estimate would count it.</summary>
    private sealed class RecordingCounter : ITokenCounter
    {
        public long Characters { get; private set; }

        public string Name => "recording";

        public int Count(ReadOnlySpan<char> text)
        {
            Characters += text.Length;
            return EstimatingTokenCounter.Instance.Count(text);
        }
    }

    [Fact]
    public void Every_block_within_the_budget_is_tokenized_once()
    {
        var paragraphs = Enumerable.Range(0, 40).Select(i => string.Join(' ', Enumerable.Repeat($"word{i}", 20 + i))).ToList();
        var counter = new RecordingCounter();
        var chunks = new DocumentChunker(new ChunkingOptions(200, 0) { Tokens = counter }).Chunk(Markdown("# Title\n\n" + string.Join("\n\n", paragraphs)));

        Assert.True(chunks.Count > 3);
        // Without overlap the only counting is of blocks; each block once (twice before: when checked against the
        // budget and again when packed).
        Assert.Equal(paragraphs.Sum(p => (long)p.Length), counter.Characters);
    }
}
