using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Moltworker.Testing.Discord;

/// <summary>
/// One client connection to the in-test gateway. It sends HELLO, answers IDENTIFY with READY and RESUME with
/// RESUMED (or op 9 false for an unknown session), ACKs heartbeats while <see cref="FakeDiscordGateway.AckHeartbeats"/>,
/// and lets a test dispatch events, send op 7/op 9, and close with any code.
/// </summary>
public sealed class FakeGatewayConnection
{
    private readonly WebSocket _socket;
    private readonly FakeDiscordGateway _gateway;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Channel<JsonObject> _received = Channel.CreateUnbounded<JsonObject>();
    private readonly TaskCompletionSource<int?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<JsonObject> _all = [];

    internal FakeGatewayConnection(WebSocket socket, FakeDiscordGateway gateway, string path, int number)
    {
        _socket = socket;
        _gateway = gateway;
        Path = path;
        Number = number;
    }

    /// <summary>"/gateway" for a first connection, "/gateway-resume" when the client used READY's resume URL.</summary>
    public string Path { get; }

    public int Number { get; }

    /// <summary>The close code the client sent (null when it dropped the connection without a close frame).</summary>
    public Task<int?> Closed => _closed.Task;

    public IReadOnlyList<JsonObject> All { get { lock (_all) return _all.ToList(); } }

    /// <summary>The next payload from the client with opcode <paramref name="op"/> (others are skipped but kept in <see cref="All"/>).</summary>
    public async Task<JsonObject> NextAsync(int op, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var p = await _received.Reader.ReadAsync(cts.Token);
            if (p["op"]!.GetValue<int>() == op) return p;
        }
    }

    public Task DispatchAsync(string type, JsonNode data) =>
        SendAsync(new JsonObject { ["op"] = 0, ["t"] = type, ["s"] = _gateway.NextSequence(), ["d"] = data });

    public Task SendReconnectAsync() => SendAsync(new JsonObject { ["op"] = 7, ["d"] = null });

    public Task SendInvalidSessionAsync(bool resumable) => SendAsync(new JsonObject { ["op"] = 9, ["d"] = resumable });

    public Task RequestHeartbeatAsync() => SendAsync(new JsonObject { ["op"] = 1, ["d"] = null });

    public async Task CloseAsync(int code, string reason = "")
    {
        await _send.WaitAsync();
        try { await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None); }
        catch (WebSocketException) { }
        finally { _send.Release(); }
    }

    public async Task SendAsync(JsonObject payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        await _send.WaitAsync();
        try { await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None); }
        catch (WebSocketException) { }
        finally { _send.Release(); }
    }

    internal async Task RunAsync(CancellationToken cancellationToken)
    {
        await SendAsync(new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = _gateway.HeartbeatIntervalMs } });
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var ms = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult((int?)result.CloseStatus);
                        try { await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None); } catch (WebSocketException) { }
                        return;
                    }
                    ms.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                var payload = JsonNode.Parse(ms.ToArray())!.AsObject();
                lock (_all) _all.Add(payload);
                await RespondAsync(payload);
                _received.Writer.TryWrite(payload);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _received.Writer.TryComplete();
            _closed.TrySetResult(null);
        }
    }

    private async Task RespondAsync(JsonObject payload)
    {
        switch (payload["op"]!.GetValue<int>())
        {
            case 1:
                if (_gateway.AckHeartbeats) await SendAsync(new JsonObject { ["op"] = 11 });
                break;
            case 2:
                if (_gateway.IdentifyCloseCode is { } code) { await CloseAsync(code, "scripted"); break; }
                var session = _gateway.NewSession();
                await DispatchAsync("READY", new JsonObject
                {
                    ["v"] = 10,
                    ["session_id"] = session,
                    ["resume_gateway_url"] = _gateway.ResumeUrl,
                    ["user"] = new JsonObject { ["id"] = "100", ["username"] = "moltworker", ["bot"] = true },
                    ["application"] = new JsonObject { ["id"] = "app" },
                });
                break;
            case 6:
                var id = payload["d"]?["session_id"]?.GetValue<string>();
                if (id is not null && _gateway.KnowsSession(id)) await DispatchAsync("RESUMED", new JsonObject());
                else await SendInvalidSessionAsync(false);
                break;
        }
    }
}
