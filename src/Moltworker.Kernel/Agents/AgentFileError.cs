namespace Moltworker.Kernel.Agents;

/// <summary>An agent file that could not be read: which file, which line (from 1, when known) and why.</summary>
public sealed record AgentFileError(string Name, string Path, int? Line, string Message)
{
    public override string ToString() => Line is { } line ? $"{Path}:{line}: {Message}" : $"{Path}: {Message}";
}
