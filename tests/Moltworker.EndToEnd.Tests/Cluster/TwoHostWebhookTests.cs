using System.Net;
using Moltworker.EndToEnd.Tests.Postgres;
using Moltworker.Testing.Postgres;

namespace Moltworker.EndToEnd.Tests.Cluster;

/// <summary>
/// Two host processes on one PostgreSQL database in webhook mode: 100 chats × 20 messages, each chat's messages posted
/// one after another, alternately to either host (as a load balancer would). Every message is answered exactly once,
/// and within each chat in the order it was sent, whichever host received it: one host at a time owns a chat's inbox.
/// </summary>
public sealed class TwoHostWebhookTests
{
    private const int Chats = 100;
    private const int PerChat = 20;

    [PostgresFact]
    public async Task Two_hosts_answer_every_message_once_and_in_order_per_chat()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var cluster = await ClusterHosts.CreateAsync(database.ConnectionString);
        // The production leases: no host dies here, and two loaded hosts on two cores must not lose theirs.
        var hosts = new[] { await cluster.StartHostAsync("Webhook", productionLease: true), await cluster.StartHostAsync("Webhook", productionLease: true) };
        var telegram = cluster.Telegram;

        await Task.WhenAll(Enumerable.Range(0, Chats).Select(c => Task.Run(async () =>
        {
            for (var m = 0; m < PerChat; m++)
            {
                var update = telegram.TextUpdate(ChatId(c), ChatId(c), Text(c, m));
                var url = new Uri(hosts[(c + m) % 2].Address, "telegram/webhook").ToString();
                Assert.Equal(HttpStatusCode.OK, await telegram.DeliverWebhookAsync(update, url: url));
            }
        })));

        await telegram.WaitUntilAsync(s => s.MessageCount >= Chats * PerChat, TimeSpan.FromMinutes(4));
        await cluster.DrainedAsync();

        var all = telegram.Messages();
        Assert.True(all.Count == Chats * PerChat, $"expected {Chats * PerChat} answers, got {all.Count}\n{cluster.Output}");
        for (var c = 0; c < Chats; c++)
        {
            var answers = telegram.Messages(ChatId(c)).Select(m => m.Text).ToList();
            Assert.Equal(Enumerable.Range(0, PerChat).Select(m => ClusterHosts.Echo(Text(c, m))), answers);
        }
        // Both hosts answered: the turns' tasks belong to two owners.
        Assert.Equal(2, await cluster.ScalarAsync("SELECT count(DISTINCT owner) FROM tasks"));
    }

    private static long ChatId(int chat) => 500_000 + chat;

    private static string Text(int chat, int message) => $"c{chat}-m{message:00}";
}
