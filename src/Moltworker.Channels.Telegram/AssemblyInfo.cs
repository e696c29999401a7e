namespace Moltworker.Channels.Telegram;
