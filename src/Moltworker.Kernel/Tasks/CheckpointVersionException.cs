namespace Moltworker.Kernel.Tasks;

/// <summary>A checkpoint written by another version of Moltworker: refused, never silently restarted.</summary>
public sealed class CheckpointVersionException(string taskId, int version)
    : Exception($"Task {taskId} has a checkpoint of schema version {version}, but this build reads only version {TaskCheckpoint.SchemaVersion}. " +
                "It was not resumed (nothing ran again). Run the Moltworker version that wrote it, or inspect it with `moltworker tasks show " + taskId + "`.")
{
    public string TaskId { get; } = taskId;
    public int Version { get; } = version;
}
