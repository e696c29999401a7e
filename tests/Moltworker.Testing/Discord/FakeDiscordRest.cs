using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Discord;

/// <summary>
/// The REST half of the in-test Discord: records every request, answers scripted responses first (rate-limit
/// headers, 429s) and otherwise behaves like Discord for the routes Moltworker uses (command overwrite,
/// interaction callback, original response edit/delete, follow-ups, channel messages, opening a DM channel), with
/// ordinary rate-limit headers.
/// </summary>
public sealed class FakeDiscordRest
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(Func<RecordedRequest, bool> Match, TaskCompletionSource<RecordedRequest> Tcs)> _waiters = [];
    private readonly ConcurrentQueue<(string Method, string PathContains, FakeResponse Response)> _script = new();
    private int _messageIds;

    public IReadOnlyList<RecordedRequest> Requests { get { lock (_gate) return _requests.ToList(); } }

    public IReadOnlyList<RecordedRequest> Where(string method, string pathContains) =>
        Requests.Where(r => r.Is(method, pathContains)).ToList();

    /// <summary>The next request matching <paramref name="method"/> and <paramref name="pathContains"/> gets <paramref name="response"/>.</summary>
    public void Enqueue(string method, string pathContains, FakeResponse response) => _script.Enqueue((method, pathContains, response));

    /// <summary>Completes with the first request (already received or future) matching <paramref name="match"/>.</summary>
    public Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> match, TimeSpan? timeout = null)
    {
        lock (_gate)
        {
            if (_requests.FirstOrDefault(match) is { } hit) return Task.FromResult(hit);
            var tcs = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, tcs));
            return tcs.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
        }
    }

    public Task<RecordedRequest> WaitForAsync(string method, string pathContains, TimeSpan? timeout = null) =>
        WaitForAsync(r => r.Is(method, pathContains), timeout);

    internal async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        const string prefix = "/api/v10/";
        path = path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path.TrimStart('/');
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        RecordedRequest request;
        var wake = new List<TaskCompletionSource<RecordedRequest>>();
        lock (_gate)
        {
            request = new RecordedRequest(_requests.Count, context.Request.Method, path, body,
                context.Request.Headers.Authorization.FirstOrDefault());
            _requests.Add(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(request)) continue;
                wake.Add(_waiters[i].Tcs);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var w in wake) w.TrySetResult(request);

        var response = Scripted(request) ?? Default(request);
        context.Response.StatusCode = response.Status;
        foreach (var (k, v) in response.Headers) context.Response.Headers[k] = v;
        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
        }
    }

    private FakeResponse? Scripted(RecordedRequest request)
    {
        lock (_gate)
        {
            var items = _script.ToArray();
            var index = Array.FindIndex(items, s => request.Is(s.Method, s.PathContains));
            if (index < 0) return null;
            _script.Clear();
            for (var i = 0; i < items.Length; i++)
                if (i != index) _script.Enqueue(items[i]);
            return items[index].Response;
        }
    }

    private FakeResponse Default(RecordedRequest r)
    {
        var bucket = r.Method + ":" + string.Join('/', r.Path.Split('/').Select(s => s.All(char.IsDigit) ? ":id" : s).Take(2));
        var headers = FakeResponse.RateHeaders(bucket, 50, 49, 1);
        FakeResponse Json(int status, string body) => new(status, body) { Headers = headers };

        if (r.Method == "PUT" && r.Path.EndsWith("/commands", StringComparison.Ordinal))
        {
            var array = JsonNode.Parse(r.Body)?.AsArray() ?? [];
            var n = 0;
            foreach (var c in array) if (c is JsonObject o) o["id"] = $"cmd-{++n}";
            return Json(200, array.ToJsonString());
        }
        if (r.Method == "POST" && r.Path.StartsWith("interactions/", StringComparison.Ordinal) && r.Path.EndsWith("/callback", StringComparison.Ordinal))
            return new FakeResponse(204) { Headers = headers };
        if (r.Method == "POST" && r.Path.StartsWith("channels/", StringComparison.Ordinal) && r.Path.EndsWith("/messages", StringComparison.Ordinal))
        {
            var posted = JsonNode.Parse(string.IsNullOrEmpty(r.Body) ? "{}" : r.Body)!.AsObject();
            posted["id"] = $"msg-{Interlocked.Increment(ref _messageIds)}";
            posted["channel_id"] = r.Path.Split('/')[1];
            return Json(200, posted.ToJsonString());
        }
        if (r.Method == "POST" && r.Path == "users/@me/channels")
        {
            var recipient = JsonNode.Parse(string.IsNullOrEmpty(r.Body) ? "{}" : r.Body)?["recipient_id"]?.GetValue<string>() ?? "unknown";
            return Json(200, new JsonObject { ["id"] = $"dm-{recipient}", ["type"] = 1 }.ToJsonString());
        }
        if (r.Path.StartsWith("webhooks/", StringComparison.Ordinal))
        {
            if (r.Method == "DELETE") return new FakeResponse(204) { Headers = headers };
            var message = JsonNode.Parse(string.IsNullOrEmpty(r.Body) ? "{}" : r.Body)!.AsObject();
            message["id"] = r.Path.EndsWith("@original", StringComparison.Ordinal) ? "original" : $"msg-{Interlocked.Increment(ref _messageIds)}";
            if (r.Method is "PATCH" or "POST") return Json(200, message.ToJsonString());
        }
        return Json(404, """{"message":"404: Not Found","code":0}""");
    }
}
