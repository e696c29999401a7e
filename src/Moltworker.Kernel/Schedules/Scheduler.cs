using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Moltworker.Kernel.Schedules;

/// <summary>
/// The background loop: claims the schedules due now, starts each run, then sleeps on the injected clock until the next
/// due time (or until schedules change, or a run ends, or at most <see cref="MaxSleep"/>). A claimed schedule is not due again until its
/// run completed, so runs of one schedule never overlap and a long run delays the next. At start, runs missed while the
/// host was down are simply due: <see cref="ScheduleRunner"/> catches them up or skips them.
/// </summary>
public sealed partial class Scheduler : BackgroundService
{
    /// <summary>Most schedules claimed in one pass; more due ones are claimed by the next pass right away.</summary>
    public const int ClaimBatch = 100;

    /// <summary>Longest sleep. Changes made in this process wake the loop at once; a schedule added by another process
    /// (<c>moltworker schedules add</c> while the host runs) is seen within this time. One indexed query a minute.</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly IScheduleStore _store;
    private readonly ScheduleRunner _runner;
    private readonly TimeProvider _time;
    private readonly ILogger<Scheduler> _logger;
    private readonly ScheduleChanges _changes;
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _asleep = NewSignal();
    private CancellationToken _stopping;

    public Scheduler(IScheduleStore store, ScheduleRunner runner, ScheduleChanges changes, TimeProvider time, ILogger<Scheduler> logger)
    {
        _store = store;
        _runner = runner;
        _time = time;
        _logger = logger;
        _changes = changes;
        changes.Changed += Wake;
    }

    /// <summary>This scheduler's claim owner (a new one per process: claims of a dead process do not hold).</summary>
    public string Owner { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Completes once the loop sleeps with everything it knows planned (immediately if it already does).
    /// For tests and the benchmark: advance a fake clock only after this.</summary>
    public Task Asleep { get { lock (_gate) return _asleep.Task; } }

    /// <summary>Runs going on now.</summary>
    public int Running => _running.Count;

    /// <summary>Plan again now: schedules changed or a run ended.</summary>
    public void Wake()
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            if (_asleep.Task.IsCompleted) _asleep = NewSignal();
            wake = _wake;
            _wake = NewSignal();
        }
        wake.TrySetResult();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        try
        {
            while (!stoppingToken.IsCancellationRequested) await PassAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task PassAsync(CancellationToken stoppingToken)
    {
        Task wake;
        lock (_gate) wake = _wake.Task;
        try
        {
            var due = await _store.ClaimDueAsync(_time.GetUtcNow(), Owner, ClaimBatch, stoppingToken);
            foreach (var schedule in due) Start(schedule);
            if (due.Count == ClaimBatch) return;
            var next = await _store.NextDueAsync(Owner, stoppingToken);
            var now = _time.GetUtcNow();
            var delay = next is { } at ? at - now : MaxSleep;
            if (delay <= TimeSpan.Zero) return;
            await SleepAsync(now + (delay > MaxSleep ? MaxSleep : delay), wake, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store failed: try again a little later, unless something wakes the loop first.
            LogPassFailed(ex);
            await SleepAsync(_time.GetUtcNow() + TimeSpan.FromSeconds(5), wake, stoppingToken);
        }
    }

    /// <summary>Sleeps until <paramref name="until"/> on the clock, or until woken. The time is looked at again once the
    /// timer exists: a clock that passed <paramref name="until"/> while the plan was made (a stalled thread, or a test
    /// stepping its clock) would otherwise leave a timer due a whole delay later.</summary>
    private async Task SleepAsync(DateTimeOffset until, Task wake, CancellationToken stoppingToken)
    {
        using var stopSleeping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var remaining = until - _time.GetUtcNow();
        var sleep = remaining > TimeSpan.Zero ? Task.Delay(remaining, _time, stopSleeping.Token) : Task.CompletedTask;
        if (_time.GetUtcNow() >= until) sleep = Task.CompletedTask;
        else lock (_gate) if (!wake.IsCompleted) _asleep.TrySetResult();
        await Task.WhenAny(sleep, wake);
        await stopSleeping.CancelAsync();
        lock (_gate) if (_asleep.Task.IsCompleted) _asleep = NewSignal();
        stoppingToken.ThrowIfCancellationRequested();
    }

    private void Start(Schedule schedule)
    {
        var run = RunAsync(schedule);
        _running[schedule.Id] = run;
        _ = run.ContinueWith(_ => { _running.TryRemove(schedule.Id, out Task? _); Wake(); }, TaskScheduler.Default);
    }

    private async Task RunAsync(Schedule schedule)
    {
        await Task.Yield();
        try
        {
            var outcome = await _runner.RunAsync(schedule, _stopping);
            await _store.CompleteRunAsync(schedule.Id, outcome, CancellationToken.None);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping mid-run: the schedule stays due at this run's time, so the next start catches it up.
        }
        catch (Exception ex) { LogRunNotCompleted(ex, schedule.Id); }
    }

    public override void Dispose()
    {
        _changes.Changed -= Wake;
        base.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The scheduler could not read the schedules; trying again shortly")]
    private partial void LogPassFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Schedule {ScheduleId}'s run could not be recorded; it is due again at the next start")]
    private partial void LogRunNotCompleted(Exception ex, string scheduleId);
}
