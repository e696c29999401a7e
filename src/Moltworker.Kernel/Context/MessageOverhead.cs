namespace Moltworker.Kernel.Context;

/// <summary>The tokens a chat request costs beyond the text of its parts, after OpenAI's published way of counting
/// chat-completion tokens (its cookbook's <c>num_tokens_from_messages</c>): a few tokens frame every message, a name
/// costs one more, and the reply is primed with a few. Tool calls, tool results and tool definitions have no published
/// formula: their framing here is an estimate, kept on the high side.</summary>
public static class MessageOverhead
{
    /// <summary>Framing of every message (role and separators).</summary>
    public const int PerMessage = 3;

    /// <summary>A message's author name, beyond the name's own tokens.</summary>
    public const int PerName = 1;

    /// <summary>Every request: the reply is primed with the assistant's role.</summary>
    public const int ReplyPriming = 3;

    /// <summary>Framing of one tool call in an assistant message (type, id and function fields), beyond its id, name and
    /// arguments.</summary>
    public const int PerToolCall = 8;

    /// <summary>Framing of one tool result (its <c>tool_call_id</c> field), beyond the id and the result.</summary>
    public const int PerToolResult = 4;

    /// <summary>Framing of one tool definition offered to the model, beyond its name, description and JSON schema.</summary>
    public const int PerToolDefinition = 10;

    /// <summary>An image in a message: what a 1024×1024 picture costs at high detail on gpt-4o (85 + 4 tiles × 170).
    /// The wire count depends on the picture's size and detail; this stands for all of them.</summary>
    public const int PerImage = 765;
}
