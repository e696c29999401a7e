namespace Moltworker.Kernel.Tasks;

/// <summary>The task was cancelled from outside its turn (<see cref="RunningTasks.Cancel"/>); it fails with this message.</summary>
public sealed class TaskCancelledException(Exception? inner = null) : Exception(Text, inner)
{
    public const string Text = "The task was cancelled.";
}
