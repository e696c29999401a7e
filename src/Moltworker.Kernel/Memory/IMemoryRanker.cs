namespace Moltworker.Kernel.Memory;

/// <summary>
/// Ranks one user's memories for a query with the knowledge engine's ranking (implemented in Moltworker.Knowledge:
/// keyword BM25, plus vectors fused by RRF when an embedding model is configured). The kernel hands it only the
/// memories of the user asking.
/// </summary>
public interface IMemoryRanker
{
    /// <summary>An embedding model is configured: <see cref="EmbedAsync"/> returns vectors.</summary>
    bool UsesVectors { get; }

    /// <summary>The unit-length vector stored with a new memory, or null (no embedding model, or it failed: the memory
    /// is still kept, and found by its words).</summary>
    Task<float[]?> EmbedAsync(string text, CancellationToken cancellationToken);

    /// <summary>The memories that match <paramref name="query"/>, best first, at most <paramref name="top"/>; memories
    /// that match in no way are left out.</summary>
    Task<IReadOnlyList<RankedMemory>> RankAsync(string query, IReadOnlyList<UserMemory> memories, int top, CancellationToken cancellationToken);
}

/// <summary>A memory with its fused score (higher is better; comparable only within one ranking).</summary>
public sealed record RankedMemory(UserMemory Memory, double Score);
