namespace Moltworker.Knowledge.Chunking;

/// <summary>The body of one heading: its heading path and the spans (start, end exclusive) of its blocks
/// (paragraphs, lists, code blocks, tables) in the document text.</summary>
internal sealed record TextSection(IReadOnlyList<string> HeadingPath, IReadOnlyList<(int Start, int End)> Blocks);
