using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Moltworker.Kernel.Events;

public sealed partial class EventBus(ILogger<EventBus> logger) : IEventBus
{
    private ImmutableArray<Action<KernelEvent>> _handlers = [];

    public void Publish(KernelEvent e)
    {
        foreach (var handler in _handlers)
        {
            try { handler(e); }
            catch (Exception ex) { LogHandlerFailed(ex, e.GetType().Name); }
        }
    }

    public IDisposable Subscribe(Action<KernelEvent> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, h => h.Add(handler));
        return new Subscription(() => ImmutableInterlocked.Update(ref _handlers, h => h.Remove(handler)));
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;
        public void Dispose() { if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose(); }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An event subscriber threw while handling {Event}")]
    private partial void LogHandlerFailed(Exception ex, string @event);
}
