using Moltworker.Kernel.Events;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Filters.Budgets;

/// <summary>
/// Gives each phase its wall-clock budget (<see cref="PhaseBudgets"/>) on a token linked to the turn's. When it runs out,
/// the calls in flight are cancelled, the checkpoint is committed and the auto-resume counted (autoResumeCount, lastError)
/// and <see cref="BudgetExceeded"/> published before <see cref="PhaseBudgetExceededException"/> propagates to <see cref="TaskAutoResumeFilter"/>.
/// </summary>
public sealed class PhaseBudgetFilter(PhaseBudgets budgets, TaskCheckpointer checkpoints, ITaskStore tasks, TimeProvider time, IEventBus events) : ITurnFilter
{
    public async Task OnTurnAsync(TurnContext context, Func<TurnContext, Task> next)
    {
        var budget = budgets.For(context.Agent, context.Phase);
        var outer = context.CancellationToken;
        using var timer = new CancellationTokenSource(budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(outer, timer.Token);
        context.CancellationToken = linked.Token;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !outer.IsCancellationRequested)
        {
            var count = 0;
            var error = $"phase '{context.Phase}' ran out of its {budget.TotalSeconds:0.###} s budget";
            if (context.IsTracked)
            {
                await checkpoints.SaveAsync(context, CancellationToken.None);
                count = await tasks.RecordAutoResumeAsync(context.TaskId, error, CancellationToken.None);
            }
            else count = ++context.BudgetHits;
            events.Publish(new BudgetExceeded(context.TaskId, context.Address, context.Phase, budget, count));
            throw new PhaseBudgetExceededException(context.TaskId, context.Phase, budget, count);
        }
        finally { context.CancellationToken = outer; }
    }
}
