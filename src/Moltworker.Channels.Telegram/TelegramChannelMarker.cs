namespace Moltworker.Channels.Telegram;

/// <summary>Registered only when the channel is configured, so mapping endpoints can tell.</summary>
internal sealed class TelegramChannelMarker;
