using System.Text.Json.Nodes;
using Moltworker.Channels.Discord.Tests.Support;
using Moltworker.Testing.Discord;

namespace Moltworker.Channels.Discord.Tests.EndToEnd;

public sealed class RestartTests
{
    [Fact]
    public async Task A_command_accepted_before_a_restart_runs_after_it_and_commands_are_not_registered_again()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        var signer = new TestSigner();
        var dataDir = Directory.CreateTempSubdirectory("moltworker-discord-restart-").FullName;
        try
        {
            var interaction = Interactions.Command("slow_task");
            var first = await DiscordHost.StartAsync(discord: discord, signer: signer, dataDirectory: dataDir);
            await discord.Rest.WaitForAsync("PUT", "/commands");
            Assert.Equal(5, (await DiscordHost.JsonAsync(await first.PostAsync(interaction)))["type"]!.GetValue<int>());
            await first.Gate.Entered.WaitAsync(TimeSpan.FromSeconds(10));
            await first.StopAsync(discordToo: false); // stops while the tool is still held

            var gate = new ToolGate();
            gate.Release();
            var second = await DiscordHost.StartAsync(discord: discord, signer: signer, dataDirectory: dataDir, gate: gate);
            await discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{Interactions.TokenOf(interaction)}/messages/@original") &&
                                                 r.Content.Contains("slow task done", StringComparison.Ordinal));
            Assert.Contains("slow:end", gate.Log);
            Assert.Single(discord.Rest.Where("PUT", "/commands"));
            await second.StopAsync(discordToo: false);
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }
}
