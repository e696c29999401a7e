using Microsoft.Extensions.AI;

namespace Moltworker.Abstractions;

/// <summary>
/// Safety metadata of a tool. It is stored in the <c>AIFunction.AdditionalProperties</c> under
/// <see cref="Key"/> so it travels with the function wherever the function goes.
/// </summary>
public sealed record ToolMetadata
{
    public const string Key = "moltworker.tool";

    public static readonly ToolMetadata Default = new();

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

    /// <summary>The metadata attached to <paramref name="function"/>, or <see cref="Default"/> (sequential, no command).</summary>
    public static ToolMetadata Of(AIFunction function) =>
        function.AdditionalProperties.TryGetValue(Key, out var value) && value is ToolMetadata m ? m : Default;

    public static ToolMetadata From(ToolAttribute attribute, string plugin) => new()
    {
        Plugin = plugin,
        ParallelSafe = attribute.ParallelSafe,
        SideEffects = attribute.SideEffects,
        Timeout = attribute.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(attribute.TimeoutSeconds) : null,
        NeedsApproval = attribute.NeedsApproval,
        Idempotent = attribute.Idempotent,
        Command = attribute.Command ? attribute.CommandName ?? attribute.Name : null,
    };
}
