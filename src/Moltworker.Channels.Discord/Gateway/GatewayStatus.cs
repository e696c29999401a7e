namespace Moltworker.Channels.Discord.Gateway;

/// <summary>What the gateway connection is doing, for <c>/healthz</c> and tests.</summary>
public sealed record GatewayStatus
{
    public bool Connected { get; init; }
    public bool Ready { get; init; }
    public string? SessionId { get; init; }
    public int? LastCloseCode { get; init; }

    /// <summary>Set when a fatal close code stopped the gateway.</summary>
    public string? Fatal { get; init; }

    public int Connections { get; init; }

    /// <summary>Heartbeat ACKs received over all connections.</summary>
    public long HeartbeatAcks { get; init; }

    /// <summary>Gateway payloads skipped because they could not be read or handled.</summary>
    public long RejectedEvents { get; init; }
}
