namespace Moltworker.Channels.Telegram.Client.Models;

public sealed record TelegramBotCommand(string Command, string Description);
