namespace Moltworker.Channels.Telegram.Tests; public class SmokeTests { [Fact] public void Builds() => Assert.True(true); }
