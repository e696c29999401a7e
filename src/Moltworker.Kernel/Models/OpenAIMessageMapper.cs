using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AI = Microsoft.Extensions.AI;
using OA = OpenAI.Chat;

namespace Moltworker.Kernel.Models;

/// <summary>Maps Microsoft.Extensions.AI messages and options to the OpenAI SDK's types and back.</summary>
internal static class OpenAIMessageMapper
{
    public const string ReasoningEffortKey = "reasoning_effort";

    public static List<OA.ChatMessage> ToOpenAI(IEnumerable<AI.ChatMessage> messages)
    {
        var result = new List<OA.ChatMessage>();
        foreach (var m in messages)
        {
            if (m.Role == ChatRole.System) result.Add(new SystemChatMessage(m.Text));
            else if (m.Role == ChatRole.User) result.Add(ToUser(m));
            else if (m.Role == ChatRole.Tool)
            {
                foreach (var r in m.Contents.OfType<FunctionResultContent>())
                    result.Add(new ToolChatMessage(r.CallId, ResultText(r.Result)));
            }
            else if (m.Role == ChatRole.Assistant)
            {
                var calls = m.Contents.OfType<FunctionCallContent>().Select(ToToolCall).ToList();
                var text = m.Text;
                if (calls.Count == 0) { result.Add(new AssistantChatMessage(text)); continue; }
                var assistant = new AssistantChatMessage(calls);
                if (!string.IsNullOrEmpty(text)) assistant.Content.Add(ChatMessageContentPart.CreateTextPart(text));
                result.Add(assistant);
            }
        }
        return result;
    }

    /// <summary>Text only, or text and image parts (tool images, <c>ToolMessages</c>) when the message carries images.</summary>
    private static UserChatMessage ToUser(AI.ChatMessage message)
    {
        if (!message.Contents.OfType<DataContent>().Any()) return new UserChatMessage(message.Text);
        var parts = new List<ChatMessageContentPart>();
        foreach (var content in message.Contents)
        {
            if (content is AI.TextContent text) parts.Add(ChatMessageContentPart.CreateTextPart(text.Text));
            else if (content is DataContent data && data.HasTopLevelMediaType("image"))
                parts.Add(ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(data.Data), data.MediaType));
        }
        return new UserChatMessage(parts);
    }

    /// <summary>The request options; <paramref name="reasoningEffort"/> is the already resolved effort (null: not sent).</summary>
    public static ChatCompletionOptions ToOpenAI(ChatOptions? options, string? reasoningEffort)
    {
        var result = new ChatCompletionOptions();
        if (!string.IsNullOrWhiteSpace(reasoningEffort)) result.ReasoningEffortLevel = new ChatReasoningEffortLevel(reasoningEffort);
        if (options is null) return result;
        if (options.Temperature is { } t) result.Temperature = t;
        if (options.MaxOutputTokens is { } max) result.MaxOutputTokenCount = max;
        foreach (var tool in options.Tools ?? [])
        {
            if (tool is AIFunctionDeclaration f)
                result.Tools.Add(ChatTool.CreateFunctionTool(f.Name, f.Description, BinaryData.FromString(f.JsonSchema.GetRawText())));
        }
        if (result.Tools.Count > 0 && options.AllowMultipleToolCalls is { } parallel) result.AllowParallelToolCalls = parallel;
        if (result.Tools.Count > 0 && ToolChoice(options.ToolMode) is { } choice) result.ToolChoice = choice;
        if (options.TopP is { } topP) result.TopP = topP;
        if (options.Seed is { } seed) result.Seed = seed;
        foreach (var stop in options.StopSequences ?? []) result.StopSequences.Add(stop);
        return result;
    }

    private static ChatToolChoice? ToolChoice(ChatToolMode? mode) => mode switch
    {
        NoneChatToolMode => ChatToolChoice.CreateNoneChoice(),
        AutoChatToolMode => ChatToolChoice.CreateAutoChoice(),
        RequiredChatToolMode { RequiredFunctionName: { } name } => ChatToolChoice.CreateFunctionChoice(name),
        RequiredChatToolMode => ChatToolChoice.CreateRequiredChoice(),
        _ => null,
    };

    public static ChatResponse FromOpenAI(ChatCompletion completion)
    {
        var contents = new List<AIContent>();
        var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        if (text.Length > 0) contents.Add(new TextContent(text));
        foreach (var call in completion.ToolCalls)
            contents.Add(ParseCall(call.Id, call.FunctionName, call.FunctionArguments?.ToString()));
        return new ChatResponse(new AI.ChatMessage(ChatRole.Assistant, contents))
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            Usage = ToUsage(completion.Usage),
            FinishReason = ToFinishReason(completion.FinishReason),
        };
    }

    public static AI.ChatFinishReason ToFinishReason(OA.ChatFinishReason? reason) => reason switch
    {
        OA.ChatFinishReason.ToolCalls or OA.ChatFinishReason.FunctionCall => AI.ChatFinishReason.ToolCalls,
        OA.ChatFinishReason.Length => AI.ChatFinishReason.Length,
        OA.ChatFinishReason.ContentFilter => AI.ChatFinishReason.ContentFilter,
        _ => AI.ChatFinishReason.Stop,
    };

    public static UsageDetails? ToUsage(ChatTokenUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.InputTokenCount,
        OutputTokenCount = usage.OutputTokenCount,
        TotalTokenCount = usage.TotalTokenCount,
    };

    /// <summary>Parses the model's argument JSON. Broken JSON does not throw: the content carries the exception
    /// and the kernel answers the call with an error result.</summary>
    public static FunctionCallContent ParseCall(string callId, string name, string? json)
    {
        var content = FunctionCallContent.CreateFromParsedArguments(
            string.IsNullOrWhiteSpace(json) ? "{}" : json, callId, name,
            static s => JsonSerializer.Deserialize<Dictionary<string, object?>>(s));
        if (content.Exception is not null)
            (content.AdditionalProperties ??= [])["raw_arguments"] = json;
        return content;
    }

    private static ChatToolCall ToToolCall(FunctionCallContent call)
    {
        var json = call.Exception is null ? JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>()) : "{}";
        return ChatToolCall.CreateFunctionToolCall(call.CallId, call.Name, BinaryData.FromString(json));
    }

    private static string ResultText(object? result) => result switch
    {
        null => "",
        string s => s,
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText(),
        _ => JsonSerializer.Serialize(result),
    };
}
