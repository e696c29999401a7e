namespace Moltworker.Knowledge.Model;

/// <summary>What a store knows about an ingested document.</summary>
public sealed record DocumentInfo(string Id, string Source, string Title, string Hash, int ChunkCount, DateTimeOffset UpdatedAt)
{
    public IReadOnlyList<string> Tags { get; init; } = [];
}
