using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Moltworker.Kernel.Models;

/// <summary>
/// Sits right on M.E.AI's OpenAI adapter and mends its tool calls where this project needs more than it does:
/// <list type="bullet">
/// <item>A call whose arguments are not JSON keeps <see cref="FunctionCallContent.Exception"/> (the agent loop answers
/// it with an error result) and gets empty <see cref="FunctionCallContent.Arguments"/>, so the history sends it back
/// as <c>{}</c> (the adapter would send <c>null</c>, which providers reject); the raw text goes to
/// <c>AdditionalProperties["raw_arguments"]</c>.</item>
/// <item>A call with no argument text at all (some servers stream none for a function without parameters) is a call
/// with no arguments, not a broken one.</item>
/// <item>Tool results go to the endpoint as their text: a result held as a JSON string goes as that string (the adapter
/// would send it quoted and escaped), any other value as compact JSON.</item>
/// <item>A stream whose server numbered several calls with the same index gets them back as separate calls
/// (<see cref="StreamedToolCallDeltas"/>); otherwise the adapter's own assembly is used as it is.</item>
/// </list>
/// </summary>
public sealed class ToolCallRepairChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public const string RawArgumentsKey = "raw_arguments";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(WithTextResults(messages), options, cancellationToken);
        foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
            MendBroken(call, (call.RawRepresentation as ChatToolCall)?.FunctionArguments?.ToString());
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var deltas = new StreamedToolCallDeltas();
        await foreach (var update in base.GetStreamingResponseAsync(WithTextResults(messages), options, cancellationToken))
        {
            if (update.RawRepresentation is StreamingChatCompletionUpdate { ToolCallUpdates.Count: > 0 } raw) deltas.Add(raw.ToolCallUpdates);
            if (update.Contents.Any(c => c is FunctionCallContent))
            {
                if (deltas.IndexReused)
                {
                    var others = update.Contents.Where(c => c is not FunctionCallContent).ToList();
                    update.Contents = [.. deltas.Calls.Select(c => Parse(c.Id, c.Name, c.Arguments)), .. others];
                }
                foreach (var call in update.Contents.OfType<FunctionCallContent>()) MendBroken(call, deltas.ArgumentsOf(call.CallId));
            }
            yield return update;
        }
    }

    private static readonly JsonSerializerOptions Compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private static IEnumerable<Microsoft.Extensions.AI.ChatMessage> WithTextResults(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            if (!message.Contents.Any(c => c is FunctionResultContent { Result: not (null or string) })) { yield return message; continue; }
            var copy = message.Clone();
            copy.Contents = [.. message.Contents.Select(c => c is FunctionResultContent { Result: not (null or string) } r
                ? new FunctionResultContent(r.CallId, ResultText(r.Result)) { Exception = r.Exception, AdditionalProperties = r.AdditionalProperties }
                : c)];
            yield return copy;
        }
    }

    private static string ResultText(object? result) => result switch
    {
        JsonElement { ValueKind: JsonValueKind.String } text => text.GetString() ?? "",
        JsonElement json => json.GetRawText(),
        _ => JsonSerializer.Serialize(result, Compact),
    };

    private static void MendBroken(FunctionCallContent call, string? raw)
    {
        if (call.Exception is null) return;
        call.Arguments = new Dictionary<string, object?>();
        if (raw is not null && string.IsNullOrWhiteSpace(raw)) call.Exception = null; // no arguments at all: a call without parameters
        else if (raw is not null) (call.AdditionalProperties ??= [])[RawArgumentsKey] = raw;
    }

    private static FunctionCallContent Parse(string id, string name, string arguments) =>
        FunctionCallContent.CreateFromParsedArguments(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments, id, name,
            static json => JsonSerializer.Deserialize<Dictionary<string, object?>>(json));
}
