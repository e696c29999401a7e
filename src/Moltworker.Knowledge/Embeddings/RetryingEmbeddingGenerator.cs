using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Moltworker.Knowledge.Options;
using Polly;
using Polly.Retry;

namespace Moltworker.Knowledge.Embeddings;

/// <summary>Retries transient embedding failures (408, 429, 5xx, network, timeout) with exponential backoff
/// that honours Retry-After, timed by the injected <see cref="TimeProvider"/>.</summary>
public sealed partial class RetryingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public RetryingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, EmbeddingOptions options, TimeProvider time, ILogger logger) : base(inner)
    {
        _logger = logger;
        _pipeline = options.MaxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<EmbeddingHttpException>(e => e.Transient),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                DelayGenerator = static args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is EmbeddingHttpException { RetryAfter: { } after } && after > TimeSpan.Zero ? after : null),
                OnRetry = args =>
                {
                    LogRetry(_logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message ?? "");
                    return default;
                },
            })
            .Build();
    }

    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = values as IReadOnlyList<string> ?? values.ToList();
        return _pipeline.ExecuteAsync(async ct => await base.GenerateAsync(list, options, ct), cancellationToken).AsTask();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embeddings request failed; retry {Attempt} in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, int attempt, TimeSpan delay, string reason);
}
