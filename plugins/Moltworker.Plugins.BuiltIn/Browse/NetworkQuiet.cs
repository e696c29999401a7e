using Microsoft.Playwright;

namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary>
/// Counts a page's requests in flight (started, not yet finished or failed) from Playwright's page events, and waits
/// until none has been in flight for a short quiet window. This replaces Playwright's "network idle" (a fixed 500 ms
/// with no requests), which made every call pay half a second even on a static page. The quiet window covers the
/// small lag between a request starting in Chromium and its event arriving here. The page is loaded with
/// <c>DOMContentLoaded</c> (a hung image must not hold the navigation), so the wait first waits for the <c>load</c>
/// event too: a script that fetches in its load handler starts only then, and on a busy machine that came later than
/// the quiet window (a flaky test in CI).
/// </summary>
internal sealed class NetworkQuiet : IDisposable
{
    private readonly IPage _page;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private int _inFlight;
    private long _changes;
    private TaskCompletionSource _idle = NewIdle(completed: true);
    private readonly TaskCompletionSource _loaded = NewIdle(completed: false);

    public NetworkQuiet(IPage page, TimeProvider time)
    {
        _page = page;
        _time = time;
        page.Request += OnStarted;
        page.RequestFinished += OnEnded;
        page.RequestFailed += OnEnded;
        page.Load += OnLoaded;
    }

    /// <summary>Waits until the page's <c>load</c> event has fired and then no request has been in flight for
    /// <paramref name="quiet"/>; false when <paramref name="limit"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeUp = new CancellationTokenSource(limit, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeUp.Token);
        try
        {
            await _loaded.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            while (true)
            {
                Task idle;
                lock (_gate) idle = _idle.Task;
                await idle.WaitAsync(linked.Token).ConfigureAwait(false);
                long seen;
                lock (_gate)
                {
                    if (_inFlight > 0) continue;
                    seen = _changes;
                }
                await Task.Delay(quiet, _time, linked.Token).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_inFlight == 0 && _changes == seen) return true;
                }
            }
        }
        catch (OperationCanceledException) when (timeUp.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void OnStarted(object? sender, IRequest request)
    {
        lock (_gate)
        {
            _changes++;
            if (_inFlight++ == 0) _idle = NewIdle(completed: false);
        }
    }

    private void OnEnded(object? sender, IRequest request)
    {
        lock (_gate)
        {
            _changes++;
            if (_inFlight > 0 && --_inFlight == 0) _idle.TrySetResult();
        }
    }

    private void OnLoaded(object? sender, IPage page) => _loaded.TrySetResult();

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed) idle.SetResult();
        return idle;
    }

    public void Dispose()
    {
        _page.Request -= OnStarted;
        _page.RequestFinished -= OnEnded;
        _page.RequestFailed -= OnEnded;
        _page.Load -= OnLoaded;
    }
}
