using Moltworker.Kernel.Approvals;

namespace Moltworker.Kernel.Filters.Approvals;

/// <summary>
/// Innermost around a batch: once every call of the batch has run or been held back, a batch with calls waiting for
/// approval pauses its task (<see cref="TaskAwaitingApprovalException"/>). The other calls' results are in the journal and
/// the model's calls in the checkpoint saved before the batch, so the resume that follows an answer runs only what is left.
/// </summary>
public sealed class ApprovalWaitBatchFilter : IBatchFilter
{
    public async Task OnBatchAsync(BatchContext context, Func<BatchContext, Task> next)
    {
        await next(context);
        var waiting = context.Calls.Where(c => c.Result?.Status == ToolStatus.AwaitingApproval).ToList();
        if (waiting.Count == 0) return;
        var calls = string.Join("; ", waiting.Select(c => $"{c.Call.Name} ({c.Result!.Content})"));
        throw new TaskAwaitingApprovalException(
            $"I need a person's approval before I go on: {calls}. The person who asked or an admin can approve or deny it in this chat, " +
            "with POST /api/approvals/{id}, or with `moltworker approvals approve|deny <id>`; I continue once it is answered.");
    }
}
