using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Text;

namespace Moltworker.Knowledge.Chunking;

/// <summary>
/// Cuts a document into passages that follow its headings and paragraphs. Blocks (paragraphs, lists, code,
/// tables) of one section are packed together up to the content budget; a block larger than the budget is
/// cut at word boundaries. Each chunk after the first of a section starts with the last
/// <see cref="ChunkingOptions.OverlapTokens"/> tokens (whole words) of the previous one. Chunks never span
/// two sections, so every chunk has exactly one heading path.
/// </summary>
public sealed class DocumentChunker(ChunkingOptions options)
{
    private readonly ChunkingOptions _options = options.Validated();
    private readonly ITokenCounter _tokens = options.Tokens ?? EstimatingTokenCounter.Instance;

    /// <summary>What joining two pieces costs: a real tokenizer spends a token on the line break between blocks.</summary>
    private readonly int _separatorTokens = options.Tokens is null or EstimatingTokenCounter ? 0 : 1;

    public ChunkingOptions Options => _options;

    public IReadOnlyList<KnowledgeChunk> Chunk(SourceDocument document)
    {
        var text = document.Text;
        var sections = document.Format is DocumentFormat.Markdown or DocumentFormat.Html
            ? MarkdownSections.Split(text)
            : PlainSections.Split(text);

        var chunks = new List<KnowledgeChunk>();
        foreach (var section in sections)
        {
            (int Start, int End)? previous = null;
            foreach (var (start, end) in Pack(text, section.Blocks))
            {
                var textStart = previous is { } p && _options.OverlapTokens > 0 ? OverlapStart(text, p.Start, p.End) : start;
                chunks.Add(new KnowledgeChunk
                {
                    DocumentId = document.Id,
                    Source = document.Source,
                    Title = document.Title,
                    HeadingPath = section.HeadingPath,
                    Position = chunks.Count,
                    Text = text[textStart..end],
                    Tags = document.Tags,
                    UpdatedAt = document.UpdatedAt,
                    TextStart = textStart,
                    Start = start,
                    End = end,
                });
                previous = (start, end);
            }
        }
        return chunks;
    }

    /// <summary>Groups blocks (split when oversized) into spans of at most the content budget. Each block is counted
    /// once: a block within the budget keeps the count that admitted it; only the pieces of an oversized block are
    /// counted again as whole pieces.</summary>
    private IEnumerable<(int Start, int End)> Pack(string text, IReadOnlyList<(int Start, int End)> blocks)
    {
        var budget = _options.ContentTokens;
        int start = -1, end = -1, tokens = 0;
        foreach (var block in blocks)
        {
            foreach (var piece in SplitOversized(text, block, budget))
            {
                var pieceTokens = piece.Tokens ?? _tokens.Count(text.AsSpan(piece.Start, piece.End - piece.Start));
                var joined = start >= 0 ? _separatorTokens : 0;
                if (start >= 0 && tokens + joined + pieceTokens > budget)
                {
                    yield return (start, end);
                    start = -1;
                    tokens = 0;
                    joined = 0;
                }
                if (start < 0) start = piece.Start;
                end = piece.End;
                tokens += joined + pieceTokens;
            }
        }
        if (start >= 0) yield return (start, end);
    }

    /// <summary>The block itself with its token count when it fits the budget, else pieces cut at word boundaries
    /// (count unknown: null).</summary>
    private IEnumerable<(int Start, int End, int? Tokens)> SplitOversized(string text, (int Start, int End) block, int budget)
    {
        var blockTokens = _tokens.Count(text.AsSpan(block.Start, block.End - block.Start));
        if (blockTokens <= budget)
        {
            yield return (block.Start, block.End, blockTokens);
            yield break;
        }
        int start = -1, end = -1, tokens = 0;
        foreach (var (wordStart, wordEnd) in Words(text, block.Start, block.End))
        {
            // With the space before it, as a tokenizer sees the word inside the text.
            var from = wordStart > block.Start ? wordStart - 1 : wordStart;
            var wordTokens = _tokens.Count(text.AsSpan(from, wordEnd - from));
            if (start >= 0 && tokens + wordTokens > budget)
            {
                yield return (start, end, null);
                start = -1;
                tokens = 0;
            }
            if (start < 0) start = wordStart;
            end = wordEnd;
            tokens += wordTokens;
        }
        if (start >= 0) yield return (start, end, null);
    }

    /// <summary>Where the overlap taken from the previous chunk's content [start, end) begins: whole words from
    /// the end until at least the overlap budget is reached.</summary>
    private int OverlapStart(string text, int start, int end)
    {
        var tokens = 0;
        var position = end;
        var i = end;
        while (i > start && tokens < _options.OverlapTokens)
        {
            while (i > start && char.IsWhiteSpace(text[i - 1])) i--;
            var wordEnd = i;
            while (i > start && !char.IsWhiteSpace(text[i - 1])) i--;
            if (wordEnd == i) break;
            var from = i > start ? i - 1 : i;
            tokens += _tokens.Count(text.AsSpan(from, wordEnd - from));
            position = i;
        }
        return position;
    }

    internal static IEnumerable<(int Start, int End)> Words(string text, int from, int to)
    {
        var i = from;
        while (i < to)
        {
            while (i < to && char.IsWhiteSpace(text[i])) i++;
            if (i >= to) yield break;
            var start = i;
            while (i < to && !char.IsWhiteSpace(text[i])) i++;
            yield return (start, i);
        }
    }
}
