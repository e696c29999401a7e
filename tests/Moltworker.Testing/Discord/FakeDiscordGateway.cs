using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Discord;

/// <summary>The WebSocket half of the in-test Discord: <c>/gateway</c> and <c>/gateway-resume</c> (READY's resume URL).</summary>
public sealed class FakeDiscordGateway
{
    private readonly Channel<FakeGatewayConnection> _connections = Channel.CreateUnbounded<FakeGatewayConnection>();
    private readonly ConcurrentDictionary<string, bool> _sessions = new();
    private long _sequence;
    private int _count;

    /// <summary>Sent in HELLO. Tests drive heartbeats with a manual clock, so the value need not be small.</summary>
    public int HeartbeatIntervalMs { get; set; } = 41_250;

    /// <summary>False: heartbeats are no longer ACKed (the client should see a zombie connection).</summary>
    public bool AckHeartbeats { get; set; } = true;

    /// <summary>When set, IDENTIFY is answered by closing with this code (4004 for a bad token, ...).</summary>
    public int? IdentifyCloseCode { get; set; }

    public string ResumeUrl { get; internal set; } = "";

    public IReadOnlyCollection<string> Sessions => _sessions.Keys.ToList();

    /// <summary>The next connection the client opens.</summary>
    public async Task<FakeGatewayConnection> NextConnectionAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _connections.Reader.ReadAsync(cts.Token);
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal string NewSession()
    {
        var id = $"session-{Guid.NewGuid():N}";
        _sessions[id] = true;
        return id;
    }

    internal bool KnowsSession(string id) => _sessions.ContainsKey(id);

    /// <summary>Forgets every session: a later RESUME gets op 9 false.</summary>
    public void ForgetSessions() => _sessions.Clear();

    internal async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest) { context.Response.StatusCode = 400; return; }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeGatewayConnection(socket, this, context.Request.Path.Value!.TrimEnd('/'), Interlocked.Increment(ref _count));
        _connections.Writer.TryWrite(connection);
        await connection.RunAsync(context.RequestAborted);
    }
}
