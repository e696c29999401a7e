using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Commands;

/// <summary>A chat /command: a built-in (start, help, reset, status, plugins) or a plugin tool offered as a command.
/// For tool commands, <see cref="Tool"/> carries the JSON schema of the options.</summary>
public sealed record ChatCommand(string Name, string Description, AIFunction? Tool = null);
