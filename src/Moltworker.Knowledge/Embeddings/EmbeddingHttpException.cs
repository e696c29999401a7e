using System.Net;

namespace Moltworker.Knowledge.Embeddings;

/// <summary>The embeddings endpoint failed (after the HTTP retries, when the failure was worth retrying).
/// <see cref="Transient"/>: 408, 429, 5xx or a network error/timeout.</summary>
public sealed class EmbeddingHttpException(string message, HttpStatusCode? status, bool transient, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
    public bool Transient { get; } = transient;
}
