using System.Text.Json;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Context;

/// <summary>
/// Token counts of text, messages and whole chat requests for a model, with the tokenizer the model catalog names for it
/// (<see cref="ModelInfo.Tokenizer"/>) or, for a model without one, the <see cref="CharacterEstimate"/>. Text counts are
/// the tokenizer's own; a message adds <see cref="MessageOverhead"/>'s framing, and non-text parts (tool calls, tool results
/// that are not text, images) are estimates of what they cost on the wire. Safe to use from several threads.
/// </summary>
public sealed class TokenCounter
{
    // Arguments and structured results go on the wire as compact JSON.
    private static readonly JsonSerializerOptions Json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>The encoding used for <paramref name="model"/>.</summary>
    public TokenEncoding EncodingFor(ModelInfo model) => TokenEncodings.For(model.Tokenizer);

    /// <summary>The tokens of plain text with the model's encoding.</summary>
    public int CountText(ModelInfo model, string? text) => string.IsNullOrEmpty(text) ? 0 : EncodingFor(model).Count(text);

    /// <summary>What one message costs in a request: framing, its name, and each of its parts.</summary>
    public int CountMessage(ModelInfo model, ChatMessage message) => CountMessage(EncodingFor(model), message);

    /// <summary>What a whole request costs: every message, the tools offered in <paramref name="options"/>, and the reply
    /// priming. This is what is compared with the model's context window before the request is sent.</summary>
    public int CountRequest(ModelInfo model, IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        var encoding = EncodingFor(model);
        var total = MessageOverhead.ReplyPriming + CountTools(encoding, options);
        foreach (var message in messages) total += CountMessage(encoding, message);
        return total;
    }

    /// <summary>What the tool definitions offered in <paramref name="options"/> cost (0 without tools).</summary>
    public int CountTools(ModelInfo model, ChatOptions? options) => CountTools(EncodingFor(model), options);

    internal static int CountMessage(TokenEncoding encoding, ChatMessage message)
    {
        var total = MessageOverhead.PerMessage;
        if (!string.IsNullOrEmpty(message.AuthorName)) total += MessageOverhead.PerName + encoding.Count(message.AuthorName);
        foreach (var content in message.Contents) total += CountContent(encoding, content);
        return total;
    }

    private static int CountContent(TokenEncoding encoding, AIContent content) => content switch
    {
        TextContent text => encoding.Count(text.Text),
        FunctionCallContent call => MessageOverhead.PerToolCall + encoding.Count(call.CallId) + encoding.Count(call.Name)
                                    + encoding.Count(JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), Json)),
        FunctionResultContent result => MessageOverhead.PerToolResult + encoding.Count(result.CallId) + encoding.Count(ResultText(result)),
        DataContent data when data.HasTopLevelMediaType("image") => MessageOverhead.PerImage,
        UriContent uri when uri.HasTopLevelMediaType("image") => MessageOverhead.PerImage,
        // Other data goes as base64, four characters per three bytes: counted as the estimate counts characters.
        DataContent data => (data.Data.Length + 2) / 3,
        UriContent uri => encoding.Count(uri.Uri.ToString()),
        _ => 0, // reasoning, usage and other parts the chat-completions wire format does not send back
    };

    private static string ResultText(FunctionResultContent result) => result.Result switch
    {
        null => "",
        string text => text,
        JsonElement json when json.ValueKind == JsonValueKind.String => json.GetString() ?? "",
        var other => JsonSerializer.Serialize(other, Json),
    };

    private static int CountTools(TokenEncoding encoding, ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools) return 0;
        var total = 0;
        foreach (var tool in tools)
        {
            total += MessageOverhead.PerToolDefinition + encoding.Count(tool.Name) + encoding.Count(tool.Description);
            if (tool is AIFunctionDeclaration function) total += encoding.Count(function.JsonSchema.GetRawText());
        }
        return total;
    }
}
