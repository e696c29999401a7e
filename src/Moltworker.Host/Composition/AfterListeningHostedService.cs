using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Moltworker.Host.Composition;

/// <summary>
/// The hosted services <see cref="AfterListeningServices"/> moved here: made and started, in registration order, when
/// the generic host reports every hosted service started (<see cref="StartedAsync"/>, which follows the server's start),
/// and stopped where this service stands in the host's order (after the server), in reverse. What the generic host does
/// for a hosted service, this does for each of these: lifecycle services get their starting, started, stopping and
/// stopped calls, and a background service that fails is logged and stops the host
/// (<see cref="HostOptions.BackgroundServiceExceptionBehavior"/>).
/// </summary>
public sealed partial class AfterListeningHostedService(
    IReadOnlyList<Func<IHostedService>> factories, Func<CancellationToken, Task> validate, IHostApplicationLifetime lifetime, IOptions<HostOptions> options,
    ILogger<AfterListeningHostedService> logger) : IHostedLifecycleService
{
    private readonly List<IHostedService> _started = [];
    private readonly TaskCompletionSource _allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    /// <summary>The services started so far, in order.</summary>
    public IReadOnlyList<IHostedService> Started { get { lock (_started) return [.. _started]; } }

    /// <summary>Completes when every service has started (faults if one failed to).</summary>
    public Task AllStarted => _allStarted.Task;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await validate(cancellationToken); // the options validated on start, as the generic host does before any service starts
            var services = factories.Select(make => make()).ToList();
            foreach (var service in services.OfType<IHostedLifecycleService>()) await service.StartingAsync(cancellationToken);
            foreach (var service in services)
            {
                await service.StartAsync(cancellationToken);
                lock (_started) _started.Add(service);
                if (service is BackgroundService background) _ = WatchAsync(background);
            }
            foreach (var service in services.OfType<IHostedLifecycleService>()) await service.StartedAsync(cancellationToken);
            _allStarted.TrySetResult();
        }
        catch (Exception ex)
        {
            _allStarted.TrySetException(ex);
            throw;
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        foreach (var service in Reversed().OfType<IHostedLifecycleService>()) await service.StoppingAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var failures = new List<Exception>();
        foreach (var service in Reversed())
        {
            try { await service.StopAsync(cancellationToken); }
            catch (Exception ex) { failures.Add(ex); }
        }
        if (failures.Count > 0) throw new AggregateException("One or more hosted services failed to stop.", failures);
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        foreach (var service in Reversed().OfType<IHostedLifecycleService>()) await service.StoppedAsync(cancellationToken);
    }

    private IEnumerable<IHostedService> Reversed() => Started.Reverse();

    private async Task WatchAsync(BackgroundService service)
    {
        if (service.ExecuteTask is not { } task) return;
        try { await task.ConfigureAwait(false); }
        catch (OperationCanceledException) when (_stopping) { }
        catch (Exception ex)
        {
            LogFaulted(logger, ex, service.GetType().Name);
            if (options.Value.BackgroundServiceExceptionBehavior == BackgroundServiceExceptionBehavior.StopHost) lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The background service {Service} failed.")]
    private static partial void LogFaulted(ILogger logger, Exception exception, string service);
}
