namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Tools</c></summary>
public sealed class ToolsOptions
{
    /// <summary>Allow parallel batches at all (each call must still be parallel-safe, and the model able).</summary>
    public bool Parallel { get; set; } = true;
    public int MaxConcurrency { get; set; } = 5;
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
