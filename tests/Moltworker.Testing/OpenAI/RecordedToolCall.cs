namespace Moltworker.Testing.OpenAI;

/// <summary>A tool call inside a recorded assistant message; <see cref="Arguments"/> is the raw string.</summary>
public sealed record RecordedToolCall(string Id, string Name, string Arguments);
