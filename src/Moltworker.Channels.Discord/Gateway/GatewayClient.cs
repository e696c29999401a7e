using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Options;

namespace Moltworker.Channels.Discord.Gateway;

/// <summary>
/// Keeps a gateway session alive across connections: RESUME (at READY's <c>resume_gateway_url</c>) after
/// reconnectable closes, op 7 and op 9 <c>true</c>; a fresh IDENTIFY after op 9 <c>false</c>, 4007 and 4009;
/// a clear stop (<see cref="GatewayFatalException"/>) on 4004 and 4010–4014. Failed connects back off
/// exponentially up to 60 s. All waiting uses the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class GatewayClient(IOptions<DiscordOptions> options, TimeProvider time, ILogger<GatewayClient> logger)
{
    private readonly GatewaySession _session = new();
    private volatile GatewayStatus _status = new();

    /// <summary>Fraction of the heartbeat interval before the first beat (Discord asks for a random one).</summary>
    public Func<double> Jitter { get; set; } = Random.Shared.NextDouble;

    public GatewayStatus Status => _status;

    /// <summary>Raised on READY and RESUMED.</summary>
    public event Action? Ready;

    /// <summary>Runs until cancelled; throws <see cref="GatewayFatalException"/> on a fatal close.
    /// <paramref name="onDispatch"/> gets every dispatch but READY/RESUMED (event name, data) and should not block.</summary>
    public async Task RunAsync(Func<string, JsonElement, Task> onDispatch, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var url = Versioned(_session.CanResume && _session.ResumeUrl is { } resume ? resume : o.GatewayUrl);
            using var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(url, cancellationToken);
                failures = 0;
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                failures++;
                var backoff = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(failures, 6))));
                LogConnectFailed(ex, backoff.TotalSeconds);
                await Task.Delay(backoff, time, cancellationToken);
                continue;
            }

            _status = _status with { Connected = true, Ready = false, Connections = _status.Connections + 1 };
            var connection = new GatewayConnection(socket, _session, o.BotToken ?? "", Jitter,
                TimeSpan.FromSeconds(o.GatewayInvalidSessionDelaySeconds), time, logger, onDispatch);
            connection.Ready += () =>
            {
                _status = _status with { Ready = true, SessionId = _session.SessionId };
                Ready?.Invoke();
            };
            connection.Acked += () => _status = _status with { HeartbeatAcks = _status.HeartbeatAcks + 1 };
            connection.Rejected += () => _status = _status with { RejectedEvents = _status.RejectedEvents + 1 };
            var end = await connection.RunAsync(cancellationToken);
            _status = _status with { Connected = false, Ready = false, LastCloseCode = end.CloseCode };
            if (socket.State == WebSocketState.Open)
            {
                try { socket.Abort(); } catch (WebSocketException) { }
            }

            switch (end.Kind)
            {
                case ConnectionEndKind.Stopped:
                    return;
                case ConnectionEndKind.Fatal:
                    _status = _status with { Fatal = end.Reason };
                    LogFatal(end.CloseCode ?? 0, end.Reason);
                    throw new GatewayFatalException(end.CloseCode ?? 0);
                case ConnectionEndKind.Reidentify:
                    _session.Clear();
                    break;
            }
            LogReconnecting(end.Reason, end.Kind == ConnectionEndKind.Resume && _session.CanResume);
            if (end.Delay > TimeSpan.Zero) await Task.Delay(end.Delay, time, cancellationToken);
        }
    }

    private static Uri Versioned(string url) =>
        new(url.Contains('?', StringComparison.Ordinal) ? url : url.TrimEnd('/') + "/?v=10&encoding=json");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway connect failed; retrying in {Seconds} s")]
    private partial void LogConnectFailed(Exception ex, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord gateway stopped: close code {Code} ({Reason}). Fix the configuration and restart.")]
    private partial void LogFatal(int code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway connection ended ({Reason}); reconnecting (resume: {Resume})")]
    private partial void LogReconnecting(string reason, bool resume);
}
