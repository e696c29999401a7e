namespace Moltworker.Kernel.Tasks;

/// <summary>A phase ran out of its wall-clock budget. Thrown after the checkpoint is committed and the
/// auto-resume counted; the auto-resume filter catches it and resumes with a fresh budget.</summary>
public sealed class PhaseBudgetExceededException(string taskId, string phase, TimeSpan budget, int autoResumeCount)
    : Exception($"phase '{phase}' ran out of its {budget.TotalSeconds:0.###} s budget")
{
    public string TaskId { get; } = taskId;
    public string Phase { get; } = phase;
    public TimeSpan Budget { get; } = budget;

    /// <summary>The task's count after this hit.</summary>
    public int AutoResumeCount { get; } = autoResumeCount;
}
