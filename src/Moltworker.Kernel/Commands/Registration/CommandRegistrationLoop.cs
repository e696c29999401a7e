using Microsoft.Extensions.Logging;
using Moltworker.Kernel.State;
using Polly;
using Polly.Retry;

namespace Moltworker.Kernel.Commands.Registration;

/// <summary>
/// Keeps a platform's registered commands equal to the channel's list: registers at start and after every change,
/// skipping the call when the SHA-256 of the list equals the hash stored under the target's identity key. A failure
/// is retried forever with capped exponential backoff on the injected clock (a change meanwhile is picked up by the
/// next attempt), logged once per failure streak.
/// </summary>
public sealed class CommandRegistrationLoop<TCommands>
{
    private readonly ICommandRegistrationTarget<TCommands> _target;
    private readonly IKeyValueStore _store;
    private readonly CommandRegistrationOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    private readonly SemaphoreSlim _changed = new(0);
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failures;

    public CommandRegistrationLoop(ICommandRegistrationTarget<TCommands> target, IKeyValueStore store, TimeProvider time,
        CommandRegistrationOptions options, ILogger logger)
    {
        _target = target;
        _store = store;
        _options = options;
        _logger = logger;
        _retry = BuildRetry(time);
    }

    /// <summary>Completes once the first registration (or the decision to skip it) succeeded.</summary>
    public Task FirstPass => _firstPass.Task;

    /// <summary>One attempt without retries: registers when the list differs from the one stored for this identity.
    /// True when it was sent.</summary>
    public async Task<bool> RegisterOnceAsync(CancellationToken cancellationToken)
    {
        var list = _target.Current();
        var key = await _target.GetStoreKeyAsync(cancellationToken);
        var hash = Hash(list.Text);
        if (await _store.GetAsync(key, cancellationToken) == hash)
        {
            CommandRegistrationLog.Unchanged(_logger, _target.Platform, list.Count);
            return false;
        }
        await _target.RegisterAsync(list.Commands, cancellationToken);
        await _store.SetAsync(key, hash, cancellationToken);
        CommandRegistrationLog.Registered(_logger, _target.Platform, list.Count);
        return true;
    }

    /// <summary>Registers now and after every change until <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        // Subscribed before the first pass, so a change during it causes another pass.
        _target.Changed += OnChanged;
        try
        {
            while (true)
            {
                await _retry.ExecuteAsync(async ct => await RegisterOnceAsync(ct), stoppingToken);
                if (_failures > 0) CommandRegistrationLog.Recovered(_logger, _target.Platform, _failures);
                _failures = 0;
                _firstPass.TrySetResult();
                await _changed.WaitAsync(stoppingToken);
                while (_changed.Wait(0)) { } // several changes in a row: one pass
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            _target.Changed -= OnChanged;
        }
    }

    /// <summary>The <see cref="Ids.ContentHash"/> of the text: only tells whether the set changed.</summary>
    public static string Hash(string text) => Ids.ContentHash.Hex(text);

    private void OnChanged() => _changed.Release();

    private ResiliencePipeline BuildRetry(TimeProvider time) => new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryBaseDelay,
            MaxDelay = _options.RetryMaxDelay,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
            {
                null => false,
                OperationCanceledException when args.Context.CancellationToken.IsCancellationRequested => false,
                _ => true,
            }),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } error ? _target.RetryAfter(error) : null),
            OnRetry = args =>
            {
                var reason = args.Outcome.Exception?.Message ?? "";
                if (++_failures == 1) CommandRegistrationLog.StreakStarted(_logger, _target.Platform, reason, _options.RetryMaxDelay);
                else CommandRegistrationLog.StillFailing(_logger, _target.Platform, _failures, reason, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        })
        .Build();
}
