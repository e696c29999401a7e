namespace Moltworker.Kernel.Events;

/// <summary>In-process publish/subscribe. Publishing never throws and never waits for slow subscribers' work
/// beyond the synchronous part of their handler; a throwing subscriber is logged and ignored.</summary>
public interface IEventBus
{
    void Publish(KernelEvent e);

    /// <summary>Subscribe; dispose the result to stop.</summary>
    IDisposable Subscribe(Action<KernelEvent> handler);
}
