using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Events;

/// <summary>Older messages of a conversation were summarized (<c>context_compacted</c>): the request went from
/// <paramref name="TokensBefore"/> to <paramref name="TokensAfter"/> tokens; <paramref name="Messages"/> were replaced;
/// <paramref name="Truncated"/>: the summary was cut to fit.</summary>
public sealed record ContextCompacted(string TaskId, ChatAddress Address, int TokensBefore, int TokensAfter, int Messages, bool Truncated)
    : KernelEvent(TaskId, Address);
