namespace Moltworker.Kernel.Models;

/// <summary>The model endpoint refused us in a way only configuration can fix (401, 403, unknown model).</summary>
public sealed class ModelConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The model kept failing (429/5xx/timeouts) after retries and fallbacks.</summary>
public sealed class ModelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
