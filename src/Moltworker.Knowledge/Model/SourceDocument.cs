namespace Moltworker.Knowledge.Model;

/// <summary>A document read from a file, ready to be chunked. <see cref="Text"/> is Markdown (HTML is converted,
/// plain text and code are Markdown without headings); front matter is removed.</summary>
public sealed record SourceDocument
{
    /// <summary>Stable id derived from <see cref="Source"/> (same source, same id).</summary>
    public required string Id { get; init; }

    /// <summary>Full path or URL: what citations show and what <c>--prune</c> checks.</summary>
    public required string Source { get; init; }

    public required string Title { get; init; }

    public required string Text { get; init; }

    public DocumentFormat Format { get; init; } = DocumentFormat.Markdown;

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>SHA-256 of the content and the chunking settings: unchanged hash means nothing to do.</summary>
    public required string Hash { get; init; }
}
