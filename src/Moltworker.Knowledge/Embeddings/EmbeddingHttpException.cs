using System.Net;
using Moltworker.Kernel.Http;

namespace Moltworker.Knowledge.Embeddings;

/// <summary>The embeddings endpoint failed. <see cref="Transient"/> (decided by <see cref="HttpFailure"/>): 408, 429, 5xx or a network error/timeout.</summary>
public sealed class EmbeddingHttpException(string message, HttpStatusCode? status, bool transient, Exception? inner = null)
    : Exception(message, inner), ITransientHttpFailure
{
    public HttpStatusCode? Status { get; } = status;
    public bool Transient { get; } = transient;
    public TimeSpan? RetryAfter { get; init; }
}
