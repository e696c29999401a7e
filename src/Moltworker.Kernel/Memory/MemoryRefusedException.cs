namespace Moltworker.Kernel.Memory;

/// <summary>A memory request that cannot be done as asked (empty or too long text, the user's limit reached, no user
/// known); the message says why and nothing was stored or deleted.</summary>
public sealed class MemoryRefusedException(string message) : Exception(message);
