using Microsoft.Extensions.Options;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Filters.Budgets;

/// <summary>
/// Resumes a phase that ran out of budget from its committed checkpoint with a fresh budget; after
/// <c>Moltworker:Tasks:MaxAutoResumes</c> resumes, fails the task with a message the user reads.
/// </summary>
public sealed class TaskAutoResumeFilter(TaskCheckpointer checkpoints, ITaskStore tasks, IEventBus events, IOptionsMonitor<TasksOptions> options) : ITurnFilter
{
    public async Task OnTurnAsync(TurnContext context, Func<TurnContext, Task> next)
    {
        while (true)
        {
            try
            {
                await next(context);
                return;
            }
            catch (PhaseBudgetExceededException hit)
            {
                var max = options.CurrentValue.MaxAutoResumes;
                if (hit.AutoResumeCount > max)
                {
                    var message = $"I could not finish this task: {hit.Message} {hit.AutoResumeCount} times, and it was resumed " +
                                  $"{max} times already (Moltworker:Tasks:MaxAutoResumes). Try a smaller request, or raise the budget " +
                                  $"of phase '{hit.Phase}' (agent front matter `budgets`, or Moltworker:Tasks:Budgets:{hit.Phase}).";
                    if (context.IsTracked) await tasks.SetStatusAsync(context.TaskId, DurableTaskStatus.Failed, message, null, CancellationToken.None);
                    throw new TaskFailedException(message, hit);
                }
                context.CancellationToken.ThrowIfCancellationRequested();
                await checkpoints.RestoreAsync(context, CancellationToken.None);
                context.IsResumed = true;
                events.Publish(new TaskResumed(context.TaskId, context.Address, hit.AutoResumeCount, hit.Message));
            }
        }
    }
}
