using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Tests.Filters.Support;

/// <summary>A fake model for unit tests: each request is answered by <see cref="Responder"/> (which may wait on the token).</summary>
public sealed class ScriptedChatClient : IChatClient
{
    private int _calls;

    public Func<IReadOnlyList<ChatMessage>, int, CancellationToken, Task<ChatResponse>> Responder { get; set; } =
        (_, _, _) => Task.FromResult(Answer("done"));

    public int Calls => Volatile.Read(ref _calls);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _calls);
        return await Responder(messages.ToList(), n, cancellationToken);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;
    public void Dispose() { }

    public static ChatResponse Answer(string text) =>
        new(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 } };

    public static ChatResponse Calls_(params (string Id, string Tool, object? Args)[] calls) =>
        new(new ChatMessage(ChatRole.Assistant, calls.Select(c => (AIContent)new FunctionCallContent(c.Id, c.Tool,
            c.Args is null ? new Dictionary<string, object?>() : System.Text.Json.JsonSerializer.SerializeToElement(c.Args)
                .EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value))).ToList()))
        { Usage = new UsageDetails { InputTokenCount = 50, OutputTokenCount = 5 } };

    /// <summary>Number of tool messages in the request: which step of a script we are at.</summary>
    public static int ToolRounds(IReadOnlyList<ChatMessage> messages) => messages.Count(m => m.Role == ChatRole.Tool);
}
