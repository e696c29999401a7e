namespace Moltworker.Channels.Telegram.Options;

/// <summary>How updates reach the bot.</summary>
public enum TelegramMode
{
    /// <summary>Long polling with getUpdates (the default when a token is set).</summary>
    Polling,

    /// <summary>Telegram POSTs updates to <c>/telegram/webhook</c> on the host.</summary>
    Webhook,
}
