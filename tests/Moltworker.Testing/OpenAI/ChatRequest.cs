using System.Text.Json;

namespace Moltworker.Testing.OpenAI;

/// <summary>One chat completions request as the fake server received it.</summary>
public sealed record ChatRequest
{
    /// <summary>0-based order of arrival.</summary>
    public int Index { get; init; }
    public string Path { get; init; } = "";
    public string? Model { get; init; }
    public bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage { get; init; }
    public IReadOnlyList<RecordedMessage> Messages { get; init; } = [];
    public IReadOnlyList<RecordedTool> Tools { get; init; } = [];

    /// <summary>Raw <c>tool_choice</c> JSON, when sent.</summary>
    public string? ToolChoice { get; init; }
    public bool? ParallelToolCalls { get; init; }
    public string? ReasoningEffort { get; init; }
    public double? Temperature { get; init; }

    /// <summary><c>max_completion_tokens</c> or <c>max_tokens</c>.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>All request headers (names case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public string? Authorization => Headers.TryGetValue("Authorization", out var v) ? v : null;

    /// <summary>The whole request body.</summary>
    public JsonElement Body { get; init; }

    /// <summary>The text of the last user message.</summary>
    public string? LastUserText => Messages.LastOrDefault(m => m.Role == "user")?.Content;

    /// <summary>The tool names offered.</summary>
    public IEnumerable<string> ToolNames => Tools.Select(t => t.Name);
}
