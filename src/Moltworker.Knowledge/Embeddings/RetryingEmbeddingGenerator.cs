using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Http;
using Moltworker.Knowledge.Options;
using Polly;

namespace Moltworker.Knowledge.Embeddings;

/// <summary>Retries transient embedding failures (408, 429, 5xx, network, timeout) with exponential backoff
/// that honours Retry-After, timed by the injected <see cref="TimeProvider"/> (<see cref="HttpRetryPipeline"/>).</summary>
public sealed partial class RetryingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public RetryingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, EmbeddingOptions options, TimeProvider time, ILogger logger) : base(inner)
    {
        _logger = logger;
        _pipeline = HttpRetryPipeline.Build<EmbeddingHttpException>(options.MaxRetries, options.RetryBaseDelay, options.RetryMaxDelay, time,
            (attempt, delay, error) => LogRetry(_logger, attempt, delay, error.Message));
    }

    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = values as IReadOnlyList<string> ?? values.ToList();
        return _pipeline.ExecuteAsync(async ct => await base.GenerateAsync(list, options, ct), cancellationToken).AsTask();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embeddings request failed; retry {Attempt} in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, int attempt, TimeSpan delay, string reason);
}
