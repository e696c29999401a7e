using System.Net;
using Moltworker.Kernel.Http;

namespace Moltworker.Knowledge.Stores.Qdrant;

/// <summary>Qdrant refused or failed a request. The message carries Qdrant's own <c>status.error</c>.
/// <see cref="Transient"/> (decided by <see cref="HttpFailure"/>): 408, 429, 5xx, network errors and timeouts (retried).</summary>
public sealed class QdrantException(string message, HttpStatusCode? status, bool transient, Exception? inner = null)
    : Exception(message, inner), ITransientHttpFailure
{
    public HttpStatusCode? Status { get; } = status;
    public bool Transient { get; } = transient;
    public TimeSpan? RetryAfter { get; init; }
}
