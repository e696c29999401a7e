namespace Moltworker.Channels.Discord;
