using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Moltworker.Abstractions;

/// <summary>
/// Safety metadata of a tool. It is stored in the function's metadata under <see cref="Key"/> (for a
/// <see cref="KernelFunction"/> in <c>Metadata.AdditionalProperties</c>, for any other <see cref="AIFunction"/> in its
/// <c>AdditionalProperties</c>) so it travels with the function wherever the function goes. The two rules every part
/// of the kernel uses (retry, resume after a crash, parallel gating) are <see cref="SafeToRepeat"/> and
/// <see cref="SafeToRunAlongside"/>; nothing else decides.
/// </summary>
public sealed record ToolMetadata
{
    public const string Key = "moltworker.tool";

    /// <summary>What a function that declares nothing gets: side-effecting, sequential, not idempotent.</summary>
    public static readonly ToolMetadata Undeclared = new() { SideEffects = true };

    public string Plugin { get; init; } = "";
    public bool ParallelSafe { get; init; }
    public bool SideEffects { get; init; }
    public TimeSpan? Timeout { get; init; }
    public bool NeedsApproval { get; init; }
    public bool Idempotent { get; init; }

    /// <summary>The chat command name (without slash) when the tool is offered as a command; otherwise null.</summary>
    public string? Command { get; init; }

    /// <summary>Optional autocomplete source for command options (Discord).</summary>
    public IToolSuggestions? Suggestions { get; init; }

    /// <summary>How long a result may be served again from the tool-result cache (null: not cached). Only honoured for a
    /// tool without <see cref="SideEffects"/>; see <see cref="Cacheable"/>.</summary>
    public TimeSpan? CacheTtl { get; init; }

    /// <summary>Cached results are kept per user (the result depends on who asks).</summary>
    public bool CachePerUser { get; init; }

    /// <summary>The tool declares a time-to-live and has no side effects: its results may be cached.</summary>
    public bool Cacheable => !SideEffects && CacheTtl > TimeSpan.Zero;

    /// <summary>Running the call again has no effect beyond the first run: it reads only, or it reconciles by
    /// idempotency key. Retries and crash-resume repeat only such calls; any other call with an intent and no result
    /// is in doubt.</summary>
    public bool SafeToRepeat => !SideEffects || Idempotent;

    /// <summary>The call may run at the same time as the other calls of its batch (each of them must be too).</summary>
    public bool SafeToRunAlongside => ParallelSafe;

    /// <summary>The metadata attached to <paramref name="function"/> (looking through wrappers to a
    /// <see cref="KernelFunction"/>), or <see cref="Undeclared"/>.</summary>
    public static ToolMetadata Of(AIFunction function)
    {
        if (function.AdditionalProperties.TryGetValue(Key, out var value) && value is ToolMetadata direct) return direct;
        if (function.GetService(typeof(KernelFunction)) is KernelFunction kernelFunction &&
            kernelFunction.Metadata.AdditionalProperties.TryGetValue(Key, out value) && value is ToolMetadata declared) return declared;
        return Undeclared;
    }

    public static ToolMetadata From(ToolAttribute attribute, string plugin) => new()
    {
        Plugin = plugin,
        ParallelSafe = attribute.ParallelSafe,
        SideEffects = attribute.SideEffects,
        Timeout = attribute.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(attribute.TimeoutSeconds) : null,
        NeedsApproval = attribute.NeedsApproval,
        Idempotent = attribute.Idempotent,
        Command = attribute.Command ? attribute.CommandName ?? attribute.Name : null,
        CacheTtl = CacheTtlOf(attribute.CacheSeconds),
        CachePerUser = attribute.CachePerUser,
    };

    /// <summary>The declarations of an SK function named <paramref name="name"/>; <see cref="Undeclared"/> (with the
    /// plugin name) when <paramref name="attribute"/> is null.</summary>
    public static ToolMetadata From(ToolSafetyAttribute? attribute, string name, string plugin) => attribute is null
        ? Undeclared with { Plugin = plugin }
        : new()
        {
            Plugin = plugin,
            ParallelSafe = attribute.ParallelSafe,
            SideEffects = attribute.SideEffects,
            Timeout = attribute.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(attribute.TimeoutSeconds) : null,
            NeedsApproval = attribute.NeedsApproval,
            Idempotent = attribute.Idempotent,
            Command = attribute.Command ? attribute.CommandName ?? name : null,
            CacheTtl = CacheTtlOf(attribute.CacheSeconds),
            CachePerUser = attribute.CachePerUser,
        };

    private static TimeSpan? CacheTtlOf(int seconds) => seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
}
