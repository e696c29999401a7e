namespace Moltworker.Kernel.State;

/// <summary>A storage failure with a message a person can act on (locked, corrupt, disk full, read-only).</summary>
public sealed class StorageException(string message, Exception? inner = null) : Exception(message, inner);
