namespace Moltworker.Kernel.Filters;

/// <summary>Wraps all tool calls of one model response. Filters may switch <see cref="BatchContext.Parallel"/>,
/// pre-fill results (e.g. from a journal) or observe the batch. Not calling <paramref name="next"/> skips every
/// call that has no result yet (each then gets a "skipped" result).</summary>
public interface IBatchFilter
{
    Task OnBatchAsync(BatchContext context, Func<BatchContext, Task> next);
}
