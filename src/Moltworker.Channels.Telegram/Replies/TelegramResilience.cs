using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Options;
using Polly;
using Polly.Retry;
using Telegram.Bot.Exceptions;

namespace Moltworker.Channels.Telegram.Replies;

/// <summary>
/// Polly pipelines on the injected clock (Telegram.Bot's own 429 retry is off: it waits on the wall clock). Sending: 429 waits retry_after, 5xx and network errors back off
/// exponentially, up to MaxSendRetries. Polling: retries forever with backoff capped at PollMaxBackoff.
/// </summary>
public sealed class TelegramResilience(IOptions<TelegramOptions> options, TimeProvider time)
{
    public ResiliencePipeline Send { get; } = Build(time, options.Value.MaxSendRetries, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), onlyTransient: true, null);

    public ResiliencePipeline Poll(Func<OnRetryArguments<object>, ValueTask> onRetry) =>
        Build(time, int.MaxValue, TimeSpan.FromSeconds(1), options.Value.PollMaxBackoff, onlyTransient: false, onRetry);

    private static ResiliencePipeline Build(TimeProvider time, int attempts, TimeSpan delay, TimeSpan maxDelay, bool onlyTransient,
        Func<OnRetryArguments<object>, ValueTask>? onRetry)
    {
        var retry = new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(0, attempts),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = delay,
            MaxDelay = maxDelay,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
            {
                null => false,
                OperationCanceledException when args.Context.CancellationToken.IsCancellationRequested => false,
                RequestException request => !onlyTransient || TelegramErrors.IsTransient(request),
                HttpRequestException or TaskCanceledException or TimeoutException => true,
                System.Text.Json.JsonException => !onlyTransient,
                _ => !onlyTransient,
            }),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } error ? TelegramErrors.RetryAfter(error) : null),
            OnRetry = onRetry is null ? null : args => onRetry(args),
        };
        if (retry.MaxRetryAttempts == 0) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(retry).Build();
    }
}
