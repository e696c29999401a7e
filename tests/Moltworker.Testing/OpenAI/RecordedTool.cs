namespace Moltworker.Testing.OpenAI;

/// <summary>A function tool offered in a request; <see cref="Parameters"/> is the raw JSON schema.</summary>
public sealed record RecordedTool(string Name, string? Description, string? Parameters);
