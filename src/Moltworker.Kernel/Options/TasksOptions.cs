namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Tasks</c>: durable tasks, phase budgets and resume.</summary>
public sealed class TasksOptions
{
    /// <summary>Budget resumes allowed per task; the next budget hit fails the task with a message to the user.</summary>
    public int MaxAutoResumes { get; set; } = 10;

    /// <summary>Wall-clock budget per phase name (agent front matter <c>budgets</c> wins). Defaults: plan 120 s, work 480 s, review 90 s.</summary>
    public Dictionary<string, TimeSpan> Budgets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Budget of a phase with no configured budget.</summary>
    public TimeSpan DefaultBudget { get; set; } = TimeSpan.FromSeconds(480);

    /// <summary>Resume unfinished tasks when the host starts.</summary>
    public bool ResumeOnStart { get; set; } = true;

    /// <summary>A task whose process died this many times in a row without progress fails instead of resuming.</summary>
    public int MaxDeathsWithoutProgress { get; set; } = 3;

    /// <summary>Finished tasks (with their checkpoint and journal) and kept-turn records older than this are deleted
    /// (checked at start and every 6 hours). 0 keeps everything.</summary>
    public int RetentionDays { get; set; } = 30;
}
