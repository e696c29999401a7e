using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Search;

/// <summary>Ranked passages and how they were found. <see cref="Mode"/> is "hybrid" or "keyword-only", with ", reranked" when the reranking stage reordered them;
/// <see cref="Note"/> explains a fallback (no embedding model, or the embedding endpoint failed).</summary>
public sealed record KnowledgeResults(string Query, IReadOnlyList<SearchHit> Hits, string Mode, string? Note);
