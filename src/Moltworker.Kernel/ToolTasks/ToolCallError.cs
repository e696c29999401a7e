namespace Moltworker.Kernel.ToolTasks;

/// <summary>A tool task's call ended with an error result: the task is recorded as failed with the result's text.</summary>
public sealed class ToolCallError(string message) : Exception(message);
