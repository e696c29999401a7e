namespace Moltworker.Channels.Discord.Gateway;

internal enum ConnectionEndKind
{
    /// <summary>Reconnect and RESUME the session (op 7, op 9 true, zombie, network error, reconnectable close).</summary>
    Resume,
    /// <summary>Reconnect with a fresh IDENTIFY (op 9 false, 4007, 4009).</summary>
    Reidentify,
    /// <summary>Stop: the close code says reconnecting cannot help.</summary>
    Fatal,
    /// <summary>The host is stopping.</summary>
    Stopped,
}

internal sealed record ConnectionEnd(ConnectionEndKind Kind, string Reason, int? CloseCode = null)
{
    /// <summary>Wait before reconnecting (Discord asks for 1–5 s after op 9).</summary>
    public TimeSpan Delay { get; init; }
}
