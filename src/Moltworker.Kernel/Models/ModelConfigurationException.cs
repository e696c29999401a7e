namespace Moltworker.Kernel.Models;

/// <summary>The model endpoint refused us in a way only configuration can fix (401, 403, unknown model).</summary>
public sealed class ModelConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
