namespace Moltworker.Channels.Discord.Gateway;

/// <summary>The gateway closed with a code after which reconnecting is pointless (4004, 4010–4014).</summary>
public sealed class GatewayFatalException(int code)
    : Exception($"Discord gateway closed with {code}: {GatewayCloseCodes.Describe(code)}; not reconnecting")
{
    public int Code { get; } = code;
}
