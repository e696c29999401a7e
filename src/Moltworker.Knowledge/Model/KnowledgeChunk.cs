namespace Moltworker.Knowledge.Model;

/// <summary>One passage of a document, as stored and as returned by search.</summary>
public sealed record KnowledgeChunk
{
    public required string DocumentId { get; init; }
    public required string Source { get; init; }
    public required string Title { get; init; }

    /// <summary>The headings above this passage, outermost first (e.g. ["Configuration", "Embeddings"]).</summary>
    public IReadOnlyList<string> HeadingPath { get; init; } = [];

    /// <summary>0-based position of the chunk in its document.</summary>
    public int Position { get; init; }

    /// <summary>The passage, including the overlap taken from the previous chunk.</summary>
    public required string Text { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Character offsets into the document text: <see cref="Text"/> is
    /// <c>text[TextStart..End]</c>; the new content (without overlap) starts at <see cref="Start"/>.</summary>
    public int TextStart { get; init; }

    public int Start { get; init; }

    public int End { get; init; }

    /// <summary>Unit-length embedding, when an embedding model is configured.</summary>
    public float[]? Vector { get; init; }

    public string Id => ChunkIds.For(DocumentId, Position);

    public string HeadingText => string.Join(" › ", HeadingPath);
}
