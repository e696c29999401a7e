namespace Moltworker.Channels.Discord.Options;

/// <summary>How interactions reach us: Discord POSTs them to our public URL, or we hold a gateway WebSocket.</summary>
public enum DiscordTransport
{
    Http,
    Gateway,
}
