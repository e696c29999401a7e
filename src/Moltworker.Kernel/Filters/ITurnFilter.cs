namespace Moltworker.Kernel.Filters;

/// <summary>Wraps one phase of a turn (plan, work, review). Not calling <paramref name="next"/> skips the phase.</summary>
public interface ITurnFilter
{
    Task OnTurnAsync(TurnContext context, Func<TurnContext, Task> next);
}
