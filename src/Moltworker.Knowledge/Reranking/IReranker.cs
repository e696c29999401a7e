namespace Moltworker.Knowledge.Reranking;

/// <summary>Scores documents against a query; returns (index into <c>documents</c>, relevance) best first.</summary>
public interface IReranker
{
    Task<IReadOnlyList<(int Index, double Score)>> RerankAsync(string query, IReadOnlyList<string> documents, CancellationToken cancellationToken);
}
