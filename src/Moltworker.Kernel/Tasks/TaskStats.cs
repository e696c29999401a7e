namespace Moltworker.Kernel.Tasks;

/// <summary>Counts of tasks by status and the budget auto-resumes they needed.</summary>
/// <remarks><c>Paused</c> counts tasks awaiting approval too.</remarks>
public sealed record TaskStats(int Running, int Paused, int Completed, int Failed, long AutoResumes, int TasksWithAutoResume)
{
    public int Total => Running + Paused + Completed + Failed;

    /// <summary>Auto-resumes per task (the seeds' gateway ran at about 10).</summary>
    public double AutoResumeRate => Total == 0 ? 0 : (double)AutoResumes / Total;
}
