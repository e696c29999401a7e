using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Moltworker.Kernel.Events;

/// <summary>
/// Stores events off the turn's path: <see cref="TryQueue"/> only puts the event in a bounded queue; a writer loop waits
/// the write delay after the first queued event and stores everything queued by then in one transaction. When the queue
/// is full the event is not stored (counted in <see cref="Dropped"/>, logged once per streak): the kernel never waits for
/// the log. A crash loses what is still queued; the task journal, not the event log, is what a task resumes from.
/// <see cref="FlushAsync"/> writes out what is queued, so a reader in this process sees every event queued before it.
/// </summary>
public sealed partial class EventWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly IEventLog _log;
    private readonly TimeSpan _delay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<StoredEvent> _queue;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _loop;
    private long _dropped;
    private long _failed;
    private bool _failing;

    public EventWriter(IEventLog log, int capacity, TimeSpan writeDelay, TimeProvider time, ILogger<EventWriter> logger)
    {
        _log = log;
        _delay = writeDelay;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<StoredEvent>(new BoundedChannelOptions(Math.Max(1, capacity))
            { SingleReader = false, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Events not stored because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events the store refused (disk full, locked).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public void TryQueue(StoredEvent e)
    {
        if (_queue.Writer.TryWrite(e)) return;
        if (Interlocked.Increment(ref _dropped) == 1) LogQueueFull(e.Id);
    }

    /// <summary>Writes every queued event, and waits for a batch the loop is writing.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken);
        try { while (await WriteQueuedAsync()) { } }
        finally { _writing.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _closing.CancelAsync();
        await _loop;
        await FlushAsync();
    }

    private async Task WriteLoopAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            if (_delay > TimeSpan.Zero && !_queue.Reader.Completion.IsCompleted)
            {
                try { await Task.Delay(_delay, _time, _closing.Token); }
                catch (OperationCanceledException) { }   // closing: write out now
            }
            await _writing.WaitAsync();
            try { while (await WriteQueuedAsync()) { } }
            finally { _writing.Release(); }
        }
    }

    /// <summary>One batch of what is queued now; false when nothing was. Callers hold <see cref="_writing"/>.</summary>
    private async Task<bool> WriteQueuedAsync()
    {
        var batch = new List<StoredEvent>();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var e)) batch.Add(e);
        if (batch.Count == 0) return false;
        try
        {
            await _log.AppendAsync(batch, CancellationToken.None);
            if (_failing) LogRecovered();
            _failing = false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Interlocked.Add(ref _failed, batch.Count);
            if (!_failing) LogFailed(ex, batch.Count);
            _failing = true;
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event log's write queue is full (event {Id}); events are streamed but not stored until it drains")]
    private partial void LogQueueFull(long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} events could not be stored; turns go on, and the count is in /healthz")]
    private partial void LogFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "The event log is stored again")]
    private partial void LogRecovered();
}
