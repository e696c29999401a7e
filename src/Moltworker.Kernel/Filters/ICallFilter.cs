namespace Moltworker.Kernel.Filters;

/// <summary>Wraps one tool call. Set <see cref="CallContext.Result"/> and do not call <paramref name="next"/> to
/// short-circuit (cache, approval denied, journal replay).</summary>
public interface ICallFilter
{
    Task OnCallAsync(CallContext context, Func<CallContext, Task> next);
}
