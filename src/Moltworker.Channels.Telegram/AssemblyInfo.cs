using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Moltworker.Channels.Telegram.Tests")]
