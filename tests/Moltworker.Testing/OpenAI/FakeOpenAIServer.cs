using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Moltworker.Testing.Hosting;

namespace Moltworker.Testing.OpenAI;

/// <summary>
/// An in-test OpenAI-compatible server on Kestrel (127.0.0.1, a free port) that answers
/// <c>POST /v1/chat/completions</c> and <c>POST /chat/completions</c> with scripted replies, in the real wire
/// format (JSON, or SSE chunks when <c>stream</c> is set), and records every request.
/// Replies come from the queue (<see cref="Enqueue"/>) first, then from <see cref="Responder"/>; with neither,
/// the request gets a 400 whose message says the script ran out.
/// </summary>
/// <example>
/// <code>
/// await using var server = await FakeOpenAIServer.StartAsync();
/// server.Enqueue(ScriptedReply.Call("time_now"), ScriptedReply.Answer("It is noon."));
/// // point Moltworker:Llm:BaseUrl at server.BaseUrl, run the turn, then assert server.Requests
/// </code>
/// </example>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedReply> _script = new();
    private readonly List<ChatRequest> _requests = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _nextCall;
    private int _nextCompletion;

    private FakeOpenAIServer(WebApplication app) => _app = app;

    /// <summary>e.g. <c>http://127.0.0.1:41234/v1</c>, the value for Moltworker:Llm:BaseUrl.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>Answers requests once the queue is empty (e.g. for benchmarks); null means "script ran out" errors.</summary>
    public Func<ChatRequest, ScriptedReply>? Responder { get; set; }

    /// <summary>Do not record requests (benchmarks: keeps memory flat). The count still grows.</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>How many requests arrived.</summary>
    public int RequestCount { get { lock (_gate) return _count; } }
    private int _count;

    /// <summary>Scripted replies not consumed yet.</summary>
    public int Pending => _script.Count;

    /// <summary>A snapshot of the recorded requests, in order of arrival.</summary>
    public IReadOnlyList<ChatRequest> Requests { get { lock (_gate) return _requests.ToArray(); } }

    public static async Task<FakeOpenAIServer> StartAsync(CancellationToken cancellationToken = default)
    {
        FakeOpenAIServer? server = null;
        var (_, address) = await LoopbackApp.StartAsync(app =>
        {
            server = new FakeOpenAIServer(app);
            app.Run(server.HandleAsync);
        }, cancellationToken: cancellationToken);
        server!.Root = address;
        server.BaseUrl = server.Root.ToString().TrimEnd('/') + "/v1";
        return server;
    }

    /// <summary>Adds replies to the end of the script.</summary>
    public FakeOpenAIServer Enqueue(params ScriptedReply[] replies)
    {
        foreach (var r in replies) _script.Enqueue(r);
        return this;
    }

    /// <summary>Completes once at least <paramref name="count"/> requests have arrived.</summary>
    public Task WaitForRequestsAsync(int count)
    {
        lock (_gate)
        {
            if (_count >= count) return Task.CompletedTask;
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, tcs));
            return tcs.Task;
        }
    }

    /// <summary>Clears the recorded requests (the script stays).</summary>
    public void ClearRequests()
    {
        lock (_gate) _requests.Clear();
    }

    /// <summary>When set, requests must carry <c>Authorization: Bearer ApiKey</c>; others get OpenAI's 401 (not recorded).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The ids <c>GET /v1/models</c> lists (health probes use it).</summary>
    public IReadOnlyList<string> Models { get; set; } = ["fake-model"];

    /// <summary>How many <c>GET /v1/models</c> requests arrived.</summary>
    public int ModelListRequests => Volatile.Read(ref _modelListRequests);
    private int _modelListRequests;

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (ApiKey is not null && context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            await WriteErrorAsync(context, 401, ScriptedReply.ErrorJson("Incorrect API key provided.", code: "invalid_api_key"), null);
            return;
        }
        if (HttpMethods.IsGet(context.Request.Method) && path is "/v1/models" or "/models")
        {
            Interlocked.Increment(ref _modelListRequests);
            context.Response.ContentType = "application/json";
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                @object = "list",
                data = Models.Select(id => new { id, @object = "model", created, owned_by = "moltworker-tests" }),
            }), context.RequestAborted);
            return;
        }
        if (!HttpMethods.IsPost(context.Request.Method) || path is not ("/v1/chat/completions" or "/chat/completions"))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync(ScriptedReply.ErrorJson($"FakeOpenAIServer: no route {context.Request.Method} {path}"));
            return;
        }

        JsonElement body;
        try
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            body = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, 400, ScriptedReply.ErrorJson($"FakeOpenAIServer: body is not JSON: {ex.Message}"), null);
            return;
        }

        var request = ChatRequestParser.Parse(body, Interlocked.Increment(ref _nextCompletion) - 1, path, ReadHeaders(context.Request));
        Record(request);

        var reply = _script.TryDequeue(out var scripted) ? scripted : Responder?.Invoke(request);
        if (reply is null)
        {
            await WriteErrorAsync(context, 400, ScriptedReply.ErrorJson($"FakeOpenAIServer: the script ran out at request #{request.Index} and no Responder is set", code: "script_exhausted"), null);
            return;
        }
        if (reply.WaitFor is { } wait) await WaitAsync(wait, context);
        if (reply.ErrorStatus is { } status)
        {
            await WriteErrorAsync(context, status, reply.ErrorBody ?? "", reply.Headers);
            return;
        }
        await WriteCompletionAsync(context, request, reply);
    }

    private async Task WriteCompletionAsync(HttpContext context, ChatRequest request, ScriptedReply reply)
    {
        var model = reply.Model ?? request.Model ?? "fake-model";
        var id = "chatcmpl-fake" + request.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var callIds = reply.ToolCalls.Select(c => c.Id ?? "call_" + Interlocked.Increment(ref _nextCall).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var prompt = reply.PromptTokens ?? EstimatePrompt(request);
        var completion = reply.CompletionTokens ?? EstimateCompletion(reply);
        foreach (var (name, value) in reply.Headers) context.Response.Headers[name] = value;

        if (!request.Stream)
        {
            var json = ChatCompletionWriter.Completion(reply, id, model, created, prompt, completion, callIds);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = json.Length;
            await context.Response.Body.WriteAsync(json, context.RequestAborted);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var written = 0;
        foreach (var chunk in ChatCompletionWriter.Chunks(reply, id, model, created, prompt, completion, callIds, request.IncludeUsage))
        {
            if (reply.AbortStreamAfterChunks is { } limit && written >= limit)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (reply.AbortWhen is { } when) await WaitAsync(when, context);
                context.Abort();
                return;
            }
            await context.Response.Body.WriteAsync(DataPrefix, context.RequestAborted);
            await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            await context.Response.Body.WriteAsync(EventEnd, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            written++;
        }
        await context.Response.Body.WriteAsync(Done, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>Waits for a test's signal; the client going away or the server stopping ends the wait (and the request).</summary>
    private async Task WaitAsync(Task signal, HttpContext context)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        await signal.WaitAsync(either.Token);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string body, IReadOnlyDictionary<string, string>? headers)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private void Record(ChatRequest request)
    {
        List<TaskCompletionSource>? ready = null;
        lock (_gate)
        {
            _count++;
            if (RecordRequests) _requests.Add(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
                if (_waiters[i].Count <= _count) { (ready ??= []).Add(_waiters[i].Signal); _waiters.RemoveAt(i); }
        }
        ready?.ForEach(s => s.TrySetResult());
    }

    private static Dictionary<string, string> ReadHeaders(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers) headers[name] = values.ToString();
        return headers;
    }

    private static int EstimatePrompt(ChatRequest request) =>
        1 + request.Messages.Sum(m => (m.Content?.Length ?? 0) + m.ToolCalls.Sum(c => c.Arguments.Length)) / 4;

    private static int EstimateCompletion(ScriptedReply reply) =>
        1 + ((reply.Text?.Length ?? 0) + reply.ToolCalls.Sum(c => c.Name.Length + c.Arguments.Length)) / 4;

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
