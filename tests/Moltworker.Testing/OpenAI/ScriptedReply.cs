namespace Moltworker.Testing.OpenAI;

/// <summary>
/// What <see cref="FakeOpenAIServer"/> answers to one chat completions request: an assistant message
/// (text and/or tool calls) or an HTTP error. Build with the static factories and refine with <c>with</c>.
/// </summary>
public sealed record ScriptedReply
{
    /// <summary>Assistant text (null for none).</summary>
    public string? Text { get; init; }

    public IReadOnlyList<ScriptedToolCall> ToolCalls { get; init; } = [];

    /// <summary>Overrides the finish reason (default: <c>tool_calls</c> when there are calls, else <c>stop</c>).</summary>
    public string? FinishReason { get; init; }

    /// <summary>Overrides the usage numbers (default: a rough estimate from the text lengths).</summary>
    public int? PromptTokens { get; init; }
    public int? CompletionTokens { get; init; }

    /// <summary>Overrides the <c>model</c> field of the answer (default: the requested model).</summary>
    public string? Model { get; init; }

    /// <summary>Non-null: answer with this HTTP status and <see cref="ErrorBody"/> instead of a completion.</summary>
    public int? ErrorStatus { get; init; }
    public string? ErrorBody { get; init; }

    /// <summary>Extra response headers (e.g. Retry-After), sent with errors and completions alike.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Awaited before answering (a signal the test controls; request cancellation is honoured).</summary>
    public Task? WaitFor { get; init; }

    /// <summary>Streaming only: characters of text / tool arguments per chunk (default 4).</summary>
    public int ChunkSize { get; init; } = 4;

    /// <summary>Streaming only: number every tool call 0, telling calls apart by id only (as some servers do).</summary>
    public bool SameIndexForAllCalls { get; init; }

    /// <summary>Streaming only: abort the connection after this many data chunks (simulates a dropped stream).</summary>
    public int? AbortStreamAfterChunks { get; init; }

    /// <summary>Streaming only: awaited before that abort (e.g. until the client saw the first chunks, which a
    /// connection reset could otherwise discard from its receive buffer).</summary>
    public Task? AbortWhen { get; init; }

    public bool IsError => ErrorStatus is not null;

    public static ScriptedReply Answer(string text) => new() { Text = text };

    public static ScriptedReply Calls(params ScriptedToolCall[] calls) => new() { ToolCalls = calls };

    public static ScriptedReply Call(string name, string arguments = "{}", string? id = null) => Calls(new ScriptedToolCall(name, arguments, id));

    /// <summary>An HTTP error with an OpenAI-style error body unless <paramref name="body"/> is given.</summary>
    public static ScriptedReply Error(int status, string? body = null, IReadOnlyDictionary<string, string>? headers = null) => new()
    {
        ErrorStatus = status,
        ErrorBody = body ?? DefaultErrorBody(status),
        Headers = headers ?? new Dictionary<string, string>(),
    };

    /// <summary>429 with <c>Retry-After: seconds</c>.</summary>
    public static ScriptedReply RateLimited(int retryAfterSeconds) =>
        Error(429, null, new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>This reply, held back until <paramref name="signal"/> completes.</summary>
    public ScriptedReply After(Task signal) => this with { WaitFor = signal };

    private static string DefaultErrorBody(int status)
    {
        var (type, code) = status switch
        {
            401 => ("invalid_request_error", "invalid_api_key"),
            403 => ("invalid_request_error", "permission_denied"),
            404 => ("invalid_request_error", "model_not_found"),
            429 => ("rate_limit_error", "rate_limit_exceeded"),
            >= 500 => ("server_error", "server_error"),
            _ => ("invalid_request_error", "bad_request"),
        };
        return ErrorJson($"Scripted error {status}", type, code);
    }

    /// <summary>An OpenAI-style error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public static string ErrorJson(string message, string type = "invalid_request_error", string? code = null) =>
        System.Text.Json.JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code } });
}
