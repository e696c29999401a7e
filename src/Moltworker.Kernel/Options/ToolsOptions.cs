namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Tools</c></summary>
public sealed class ToolsOptions
{
    /// <summary>Allow parallel batches at all (each call must still be parallel-safe, and the model able).</summary>
    public bool Parallel { get; set; } = true;
    /// <summary>Calls in flight at once in a parallel batch.</summary>
    public int MaxConcurrency { get; set; } = 5;
    /// <summary>Timeout of one attempt of a tool that declares no <c>TimeoutSeconds</c>.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
