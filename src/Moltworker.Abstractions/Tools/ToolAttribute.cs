namespace Moltworker.Abstractions;

/// <summary>
/// Marks a public method of a plugin class as a tool the model (and, when <see cref="Command"/> is set,
/// a chat user) can call. Pair it with <c>[Description]</c> on the method and each parameter.
/// Safety metadata travels with the built <c>AIFunction</c> in its <c>AdditionalProperties</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ToolAttribute(string name) : Attribute
{
    /// <summary>The tool name the model sees (snake_case by convention).</summary>
    public string Name { get; } = name;

    /// <summary>Safe to run at the same time as other parallel-safe calls. Default: no, so sequential.</summary>
    public bool ParallelSafe { get; set; }

    /// <summary>Changes something outside the process (writes, posts, payments). Never retried blindly.</summary>
    public bool SideEffects { get; set; }

    /// <summary>Per-call timeout in seconds; 0 uses <c>Moltworker:Tools:DefaultTimeout</c>.</summary>
    public int TimeoutSeconds { get; set; }

    /// <summary>A person must approve each call before it runs.</summary>
    public bool NeedsApproval { get; set; }

    /// <summary>Honours <see cref="ToolContext.IdempotencyKey"/>: running it twice with one key has one effect,
    /// so it may be retried and reconciled after a crash.</summary>
    public bool Idempotent { get; set; }

    /// <summary>Offered as a chat /command (Telegram) and slash command (Discord).</summary>
    public bool Command { get; set; }

    /// <summary>The command name when it should differ from the tool name (without the slash).</summary>
    public string? CommandName { get; set; }

    /// <summary>Seconds a result may be served again from the tool-result cache to the same call (same tool, same
    /// arguments); 0, the default, caches nothing. Ignored for a tool with <see cref="SideEffects"/>: such a tool is
    /// never cached. <c>Moltworker:Tools:Cache:Ttl</c> overrides it per tool.</summary>
    public int CacheSeconds { get; set; }

    /// <summary>The result depends on who asks: cached results are kept per user and never served to another.</summary>
    public bool CachePerUser { get; set; }
}
