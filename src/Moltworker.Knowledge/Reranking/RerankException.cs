namespace Moltworker.Knowledge.Reranking;

/// <summary>The reranker answered with an error status or a body that is not a rerank response.</summary>
public sealed class RerankException(string message, Exception? inner = null) : Exception(message, inner);
