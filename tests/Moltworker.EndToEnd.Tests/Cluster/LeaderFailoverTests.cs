using System.Diagnostics;
using System.Globalization;
using Moltworker.EndToEnd.Tests.Operations;
using Moltworker.EndToEnd.Tests.Postgres;
using Moltworker.Testing.Postgres;

namespace Moltworker.EndToEnd.Tests.Cluster;

/// <summary>
/// Telegram long polling on two hosts sharing one PostgreSQL database: only the leader (holder of the advisory lock)
/// polls. The leader is killed with SIGKILL while one of its answers is on the wire (held by the in-test Bot API); the
/// other host starts polling within lease + 2 s, from the shared offset, and takes the dead host's unfinished chat once
/// its lease expires. Every update is answered exactly once.
/// </summary>
public sealed class LeaderFailoverTests
{
    private const string Leader = "This host is the leader";
    private const string Polling = "Telegram long polling started";

    [PostgresFact]
    public async Task Polling_moves_to_the_other_host_when_the_leader_dies_and_no_update_is_answered_twice()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var cluster = await ClusterHosts.CreateAsync(database.ConnectionString);
        var telegram = cluster.Telegram;
        var first = await cluster.StartHostAsync("Polling");
        await first.SeenAsync(Polling);
        var second = await cluster.StartHostAsync("Polling");
        Assert.DoesNotContain(Leader, second.Output, StringComparison.Ordinal);

        var sent = new List<(long Chat, string Text)>();
        void Send(long chat, string text) { telegram.EnqueueText(chat, chat, text); sent.Add((chat, text)); }

        for (var i = 0; i < 10; i++) Send(1 + i % 5, $"before-{i}");
        await telegram.WaitUntilAsync(s => s.MessageCount >= 10, TimeSpan.FromSeconds(60));

        // One answer stays on the wire (chat 9's send is held) when the leader dies; the others get through.
        var hold = telegram.HoldSends(9);
        Send(9, "in-flight");
        for (var i = 0; i < 5; i++) Send(1 + i, $"around-{i}");
        await telegram.WaitUntilAsync(s => s.MessageCount >= 15 && s.Calls("sendMessage") >= 16, TimeSpan.FromSeconds(60));
        // Killed once the answered items are finished in the inbox: only chat 9's is open. (A host killed between
        // sending an answer and finishing its item sends it again after a restart or a takeover alike: that window is
        // the inbox's at-least-once delivery, not the leader's move.)
        await cluster.DrainedAsync(remaining: 1);

        var killedAt = Stopwatch.GetTimestamp();
        await KillAsync(first);
        await telegram.WaitUntilAsync(s => s.AbortedSends >= 1, TimeSpan.FromSeconds(30));
        hold.SetResult();

        await second.SeenAsync(Polling);
        var failover = Stopwatch.GetElapsedTime(killedAt);
        Assert.True(failover < ClusterHosts.Lease + TimeSpan.FromSeconds(2), $"polling resumed after {failover.TotalSeconds:0.00} s\n{cluster.Output}");
        Assert.Contains(Leader, second.Output, StringComparison.Ordinal);

        for (var i = 0; i < 5; i++) Send(1 + i, $"after-{i}");
        await telegram.WaitUntilAsync(s => s.MessageCount >= sent.Count, TimeSpan.FromSeconds(60));
        await cluster.DrainedAsync();

        var answers = telegram.Messages().Select(m => (m.ChatId, m.Text)).OrderBy(a => a.ChatId).ThenBy(a => a.Text, StringComparer.Ordinal).ToList();
        var expected = sent.Select(s => (s.Chat, ClusterHosts.Echo(s.Text))).OrderBy(a => a.Chat).ThenBy(a => a.Item2, StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(answers), $"answers:\n{string.Join('\n', answers)}\n{cluster.Output}");
    }

    /// <summary>SIGKILL: no shutdown, no unlock; the server sees the connection drop.</summary>
    private static async Task KillAsync(ServingHostProcess host)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-KILL", host.Id.ToString(CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
        await host.ExitAsync(30);
    }
}
