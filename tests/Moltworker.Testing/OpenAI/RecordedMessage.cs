namespace Moltworker.Testing.OpenAI;

/// <summary>One message of a recorded request. <see cref="Content"/> joins text parts when content was an array.</summary>
public sealed record RecordedMessage(string Role, string? Content, string? ToolCallId, IReadOnlyList<RecordedToolCall> ToolCalls, string? Name = null)
{
    /// <summary>The <c>image_url</c> parts' URLs (data: URLs for inline images), in order.</summary>
    public IReadOnlyList<string> ImageUrls { get; init; } = [];
}
