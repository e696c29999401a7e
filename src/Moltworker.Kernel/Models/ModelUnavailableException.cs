namespace Moltworker.Kernel.Models;

/// <summary>No answer from the model: it kept failing (429/5xx/timeouts) after retries and fallbacks, it rejected the
/// request (e.g. 400), or its streamed answer broke off.</summary>
public sealed class ModelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
