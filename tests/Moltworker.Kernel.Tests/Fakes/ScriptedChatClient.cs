using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Tests.Fakes;

/// <summary>A unit-test stand-in for the model: answers from a script and records what it was sent.</summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<Func<IReadOnlyList<ChatMessage>, ChatResponse>> _script = new();

    public List<List<ChatMessage>> Requests { get; } = [];
    public List<ChatOptions?> Options { get; } = [];

    /// <summary>Used when the script is empty.</summary>
    public Func<IReadOnlyList<ChatMessage>, ChatResponse> Default { get; set; } = _ => Text("done");

    public ScriptedChatClient Then(Func<IReadOnlyList<ChatMessage>, ChatResponse> step) { _script.Enqueue(step); return this; }
    public ScriptedChatClient ThenText(string text) => Then(_ => Text(text));
    public ScriptedChatClient ThenCalls(params FunctionCallContent[] calls) => Then(_ => Calls(calls));

    public static ChatResponse Text(string text) => new(new ChatMessage(ChatRole.Assistant, text));
    public static ChatResponse Calls(params FunctionCallContent[] calls) => new(new ChatMessage(ChatRole.Assistant, [.. calls]));

    public static FunctionCallContent Call(string id, string name, object? args = null) =>
        new(id, name, args is null ? new Dictionary<string, object?>() :
            System.Text.Json.JsonSerializer.SerializeToElement(args).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()));

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        lock (Requests) { Requests.Add(list); Options.Add(options); }
        var step = _script.Count > 0 ? _script.Dequeue() : Default;
        return Task.FromResult(step(list));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;
    public void Dispose() { }
}
