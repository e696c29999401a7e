namespace Moltworker.Abstractions;

/// <summary>
/// Moltworker's safety declarations for one SK function, written beside <c>[KernelFunction]</c>. The plugin catalog
/// reads it into the function's metadata (<c>KernelFunctionMetadata.AdditionalProperties</c>, key
/// <see cref="ToolMetadata.Key"/>). A function without it is treated as side-effecting: it runs on its own, is never
/// retried automatically and is in doubt after a crash. Everything left unset here keeps that safe default too, so a
/// read-only tool says so: <c>[ToolSafety(SideEffects = false, ParallelSafe = true)]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ToolSafetyAttribute : Attribute
{
    /// <summary>Changes something outside the process (writes, posts, payments). Default: yes.</summary>
    public bool SideEffects { get; set; } = true;

    /// <summary>Safe to run at the same time as other parallel-safe calls. Default: no, so sequential.</summary>
    public bool ParallelSafe { get; set; }

    /// <summary>Honours <see cref="ToolContext.IdempotencyKey"/>: running it twice with one key has one effect, so it
    /// may be retried and run again after a crash even when it has side effects.</summary>
    public bool Idempotent { get; set; }

    /// <summary>Per-call timeout in seconds; 0 uses <c>Moltworker:Tools:DefaultTimeout</c>.</summary>
    public int TimeoutSeconds { get; set; }

    /// <summary>A person must approve each call before it runs.</summary>
    public bool NeedsApproval { get; set; }

    /// <summary>Offered as a chat /command (Telegram) and slash command (Discord).</summary>
    public bool Command { get; set; }

    /// <summary>The command name when it should differ from the function name (without the slash).</summary>
    public string? CommandName { get; set; }

    /// <summary>Seconds a result may be served again from the tool-result cache to the same call (same tool, same
    /// arguments); 0, the default, caches nothing. Ignored for a tool with <see cref="SideEffects"/>: such a tool is
    /// never cached. <c>Moltworker:Tools:Cache:Ttl</c> overrides it per tool.</summary>
    public int CacheSeconds { get; set; }

    /// <summary>The result depends on who asks: cached results are kept per user and never served to another.</summary>
    public bool CachePerUser { get; set; }
}
