namespace Moltworker.Knowledge.Model;

/// <summary>One ranked passage. <see cref="Score"/> is the fused RRF score in hybrid mode, BM25 (higher is
/// better) in keyword mode, cosine similarity in vector mode.</summary>
public sealed record SearchHit(int Rank, double Score, KnowledgeChunk Chunk)
{
    /// <summary>1-based rank in the keyword ranking, when the passage was in it.</summary>
    public int? KeywordRank { get; init; }

    /// <summary>1-based rank in the vector ranking, when the passage was in it.</summary>
    public int? VectorRank { get; init; }
}
