namespace Moltworker.Channels.Discord.Signing;

public enum SignatureCheck
{
    Valid,
    NotConfigured,
    MissingHeader,
    BadTimestamp,
    StaleTimestamp,
    BadSignature,
}
