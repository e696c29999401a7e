namespace Moltworker.Kernel.Tasks;

/// <summary>A task stopped short of an answer; <see cref="Exception.Message"/> is what the user reads.</summary>
public abstract class TaskStoppedException(string message, Exception? inner = null) : Exception(message, inner)
{
    public abstract DurableTaskStatus Status { get; }
}
