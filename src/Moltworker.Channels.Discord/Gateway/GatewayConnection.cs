using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Moltworker.Channels.Discord.Gateway;

/// <summary>
/// One WebSocket's life: HELLO starts the heartbeat (first beat after interval × jitter), then IDENTIFY or RESUME;
/// dispatches update the sequence number; READY gives the session; op 1 asks for a beat now; a beat not ACKed by
/// the next one means a zombie connection. Returns how the next connection should start.
/// </summary>
internal sealed partial class GatewayConnection(
    ClientWebSocket socket,
    GatewaySession session,
    string token,
    Func<double> jitter,
    TimeSpan invalidSessionDelay,
    TimeProvider time,
    ILogger logger,
    Func<string, JsonElement, Task> onDispatch)
{
    private const int MaxMessageBytes = 8 << 20;
    private readonly SemaphoreSlim _send = new(1, 1);
    private volatile bool _acked = true;
    private ConnectionEnd? _decided;
    private CancellationTokenSource? _cts;

    public event Action? Ready;

    public event Action? Acked;

    /// <summary>Raised for each payload skipped because it could not be read or handled.</summary>
    public event Action? Rejected;

    public async Task<ConnectionEnd> RunAsync(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _cts = cts;
        Task heartbeat = Task.CompletedTask;
        try
        {
            while (true)
            {
                var (text, closed) = await ReceiveAsync(cts.Token);
                if (closed)
                {
                    var code = (int?)socket.CloseStatus ?? 1006;
                    return _decided ?? Classify(code);
                }
                if (!GatewayFrame.TryParse(text!, out var frame, out var problem))
                {
                    LogBadFrame(problem);
                    Rejected?.Invoke();
                    continue;
                }
                using var owned = frame;
                if (frame.Sequence is { } sequence) session.Sequence = sequence;
                var d = frame.Data;
                switch (frame.Op)
                {
                    case GatewayOpcodes.Hello:
                        var interval = TimeSpan.FromMilliseconds(d.GetProperty("heartbeat_interval").GetDouble());
                        heartbeat = HeartbeatAsync(interval, cts.Token);
                        await SendAsync(session.CanResume ? ResumePayload() : IdentifyPayload(), cts.Token);
                        break;
                    case GatewayOpcodes.HeartbeatAck:
                        _acked = true;
                        Acked?.Invoke();
                        break;
                    case GatewayOpcodes.Heartbeat:
                        await SendAsync(HeartbeatPayload(), cts.Token);
                        break;
                    case GatewayOpcodes.Dispatch:
                        await DispatchAsync(frame.EventName!, d);
                        break;
                    case GatewayOpcodes.Reconnect:
                        return await EndAsync(new ConnectionEnd(ConnectionEndKind.Resume, "op 7 reconnect"));
                    case GatewayOpcodes.InvalidSession:
                        var resumable = d.ValueKind == JsonValueKind.True;
                        return await EndAsync(new ConnectionEnd(resumable ? ConnectionEndKind.Resume : ConnectionEndKind.Reidentify,
                            $"op 9 invalid session (resumable: {resumable})") { Delay = invalidSessionDelay });
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return _decided ?? new ConnectionEnd(ConnectionEndKind.Resume, "connection cancelled");
        }
        catch (OperationCanceledException)
        {
            return new ConnectionEnd(ConnectionEndKind.Stopped, "stopping");
        }
        catch (Exception ex) when (ex is WebSocketException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            LogConnectionError(ex);
            return _decided ?? new ConnectionEnd(ConnectionEndKind.Resume, ex.GetType().Name);
        }
        finally
        {
            await cts.CancelAsync();
            try { await heartbeat; } catch (OperationCanceledException) { }
        }
    }

    private static ConnectionEnd Classify(int code) =>
        GatewayCloseCodes.IsFatal(code) ? new ConnectionEnd(ConnectionEndKind.Fatal, GatewayCloseCodes.Describe(code), code)
        : GatewayCloseCodes.InvalidatesSession(code) ? new ConnectionEnd(ConnectionEndKind.Reidentify, GatewayCloseCodes.Describe(code), code)
        : new ConnectionEnd(ConnectionEndKind.Resume, GatewayCloseCodes.Describe(code), code);

    private async Task DispatchAsync(string type, JsonElement d)
    {
        if (type == "READY")
        {
            session.SessionId = d.GetProperty("session_id").GetString();
            session.ResumeUrl = d.TryGetProperty("resume_gateway_url", out var u) ? u.GetString() : null;
            LogReady();
            Ready?.Invoke();
        }
        else if (type == "RESUMED")
        {
            LogResumed();
            Ready?.Invoke();
        }
        else
        {
            try { await onDispatch(type, d.Clone()); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One event the handler could not take never ends the connection (a resume would replay it).
                LogDispatchFailed(ex, type);
                Rejected?.Invoke();
            }
        }
    }

    private async Task HeartbeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await Task.Delay(interval * Math.Clamp(jitter(), 0, 1), time, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_acked)
            {
                LogZombie();
                await EndAsync(new ConnectionEnd(ConnectionEndKind.Resume, "no heartbeat ACK (zombie connection)"));
                return;
            }
            _acked = false;
            await SendAsync(HeartbeatPayload(), cancellationToken);
            await Task.Delay(interval, time, cancellationToken);
        }
    }

    /// <summary>Closes with 4000 (not 1000, which would end the session), then ends the receive loop.</summary>
    private async Task<ConnectionEnd> EndAsync(ConnectionEnd end)
    {
        _decided ??= end;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _send.WaitAsync(timeout.Token);
            try { await socket.CloseOutputAsync((WebSocketCloseStatus)4000, "reconnecting", timeout.Token); }
            finally { _send.Release(); }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket is going away anyway.
        }
        if (_cts is { } cts) await cts.CancelAsync();
        return _decided;
    }

    private JsonObject HeartbeatPayload() => new() { ["op"] = GatewayOpcodes.Heartbeat, ["d"] = session.Sequence };

    private JsonObject IdentifyPayload() => new()
    {
        ["op"] = GatewayOpcodes.Identify,
        ["d"] = new JsonObject
        {
            ["token"] = token,
            ["intents"] = 0,
            ["properties"] = new JsonObject { ["os"] = Environment.OSVersion.Platform.ToString().ToLowerInvariant(), ["browser"] = "moltworker", ["device"] = "moltworker" },
        },
    };

    private JsonObject ResumePayload() => new()
    {
        ["op"] = GatewayOpcodes.Resume,
        ["d"] = new JsonObject { ["token"] = token, ["session_id"] = session.SessionId, ["seq"] = session.Sequence },
    };

    private async Task SendAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        await _send.WaitAsync(cancellationToken);
        try { await socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken); }
        finally { _send.Release(); }
    }

    private async Task<(string? Text, bool Closed)> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var ms = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close) return (null, true);
                ms.Write(buffer, 0, result.Count);
                if (ms.Length > MaxMessageBytes) throw new InvalidOperationException("gateway message too large");
                if (result.EndOfMessage) return (Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length), false);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway READY")]
    private partial void LogReady();

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway session resumed")]
    private partial void LogResumed();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway heartbeat not acknowledged; reconnecting")]
    private partial void LogZombie();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway payload skipped: {Reason}")]
    private partial void LogBadFrame(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord gateway event {Type} could not be handled; skipped")]
    private partial void LogDispatchFailed(Exception ex, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway connection error")]
    private partial void LogConnectionError(Exception ex);
}
