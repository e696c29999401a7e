using Moltworker.Kernel.Hosting;

namespace Moltworker.Host.Composition;

/// <summary>
/// Holds the background start-up work (<see cref="HeldStartupServices"/>: the plugin catalog's first load, the knowledge
/// seed, the resume pass) until the host has answered its first request, or <see cref="Delay"/> after it started
/// listening if no request comes: on a small machine that work would otherwise share the cores with the first request.
/// Until it opens, <see cref="StartupReadiness"/> lists the held work as loading.
/// </summary>
public sealed class StartupHold(TimeProvider time) : IStartupHold
{
    /// <summary>How long after the host started listening the work starts anyway when no request came.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;

    /// <summary>Completes when the held work may start.</summary>
    public Task Opened => _opened.Task;

    public bool IsOpen => _opened.Task.IsCompleted;

    /// <summary>Lets the held work start (the first answer went out).</summary>
    public void Open()
    {
        if (_opened.TrySetResult()) Interlocked.Exchange(ref _timer, null)?.Dispose();
    }

    /// <summary>Opens after <see cref="Delay"/> on this hold's clock unless something opened it before (the host listens).</summary>
    public void OpenAfterDelay()
    {
        if (IsOpen) return;
        var timer = time.CreateTimer(_ => Open(), null, Delay, Timeout.InfiniteTimeSpan);
        if (Interlocked.CompareExchange(ref _timer, timer, null) is not null || IsOpen) timer.Dispose();
    }
}
