using System.Net;

namespace Moltworker.Knowledge.Stores.Qdrant;

/// <summary>Qdrant refused or failed a request. The message carries Qdrant's own <c>status.error</c>.
/// <see cref="Transient"/>: 408, 429, 5xx, network errors and timeouts (the HttpClient retried them before).</summary>
public sealed class QdrantException(string message, HttpStatusCode? status, bool transient, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
    public bool Transient { get; } = transient;
}
