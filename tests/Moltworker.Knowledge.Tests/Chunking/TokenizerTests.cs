using Microsoft.ML.Tokenizers;
using Moltworker.Knowledge.Chunking;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Text;

namespace Moltworker.Knowledge.Tests.Chunking;

public class TokenizerTests
{
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void Chunks_stay_within_the_budget_in_real_tokens_of_the_encoding(string encoding)
    {
        var counter = TiktokenCounter.For(encoding, null);
        Assert.Equal(encoding, counter.Name);
        var reference = TiktokenTokenizer.CreateForEncoding(encoding);
        // Versions and addresses cost far more real tokens than the four-characters-per-token estimate says.
        var words = Enumerable.Range(0, 400).ToList().Select(i => i % 3 == 0 ? $"{i}.{i % 7}.{i % 11}.{i}:{i % 5}" : $"word{i}").ToList();
        var text = "# Settings\n\n" + string.Join(' ', words);
        var document = DocumentReader.FromText("/kb/settings.md", text, DocumentFormat.Markdown, DateTimeOffset.UnixEpoch, []);

        var real = new DocumentChunker(new ChunkingOptions(60, 10) { Tokens = counter }).Chunk(document);
        var estimated = new DocumentChunker(new ChunkingOptions(60, 10)).Chunk(document);

        // New content stays within the content budget (60 - 10) in real tokens; the overlap adds at least 10 tokens
        // of whole words, so a chunk may pass 60 by less than one word, as with the estimate.
        var longestWord = words.Max(w => reference.CountTokens(" " + w));
        Assert.All(real, c => Assert.InRange(reference.CountTokens(document.Text[c.Start..c.End]), 1, 50));
        Assert.All(real, c => Assert.InRange(reference.CountTokens(c.Text), 1, 60 + longestWord - 1));
        Assert.Contains(estimated, c => reference.CountTokens(document.Text[c.Start..c.End]) > 50); // the estimate overshoots here
        Assert.True(real.Count > estimated.Count);
    }

    [Fact]
    public void Auto_uses_the_embedding_models_encoding_and_falls_back_to_o200k()
    {
        Assert.StartsWith("tiktoken (text-embedding-3-small)", TiktokenCounter.For("auto", "text-embedding-3-small").Name);
        Assert.Equal("o200k_base", TiktokenCounter.For("auto", "nomic-embed-text").Name);
        Assert.Equal("estimate", TiktokenCounter.For("estimate", null).Name);
        Assert.Equal("estimate", TiktokenCounter.For("auto", null).Name);   // keyword-only: no 40 MB vocabulary
        Assert.Equal("o200k_base", TiktokenCounter.For("o200k_base", null).Name);
        Assert.Throws<ArgumentException>(() => TiktokenCounter.For("gpt2-ish", null));
    }
}
