using System.Net;
using System.Net.Http.Json;
using Moltworker.EndToEnd.Tests.Postgres;
using Moltworker.Testing.Postgres;

namespace Moltworker.EndToEnd.Tests.Cluster;

/// <summary>
/// <c>/api/chat</c> on two hosts sharing one database, with no affinity: the messages of one chat are posted at once,
/// alternately to either host, so most arrive at a host while the other holds the chat. The host holding the chat runs
/// them (no request waits there) and each waiting request reads its answer from the shared store: every request gets
/// its own answer, and each message is answered once.
/// </summary>
public sealed class CrossHostHttpChatTests
{
    private const int Messages = 12;

    [PostgresFact]
    public async Task A_request_waiting_on_one_host_gets_the_answer_the_other_host_made()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var cluster = await ClusterHosts.CreateAsync(database.ConnectionString);
        var hosts = new[] { await cluster.StartHostAsync("Webhook"), await cluster.StartHostAsync("Webhook") };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };

        var answers = await Task.WhenAll(Enumerable.Range(0, Messages).Select(async i =>
        {
            var url = new Uri(hosts[i % 2].Address, "api/chat");
            using var response = await http.PostAsJsonAsync(url, new { chatId = "shared", text = $"message-{i}", messageId = $"m{i}" });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{cluster.Output}");
            return (i, (await response.Content.ReadFromJsonAsync<Answer>())!);
        }));

        foreach (var (i, answer) in answers)
        {
            Assert.False(answer.IsError, answer.Text);
            Assert.Equal(ClusterHosts.Echo($"message-{i}"), answer.Text);
        }
        await cluster.DrainedAsync();
        Assert.Equal(Messages, await cluster.ScalarAsync("SELECT count(*) FROM tasks WHERE status = 'Completed'"));
    }

    private sealed record Answer(string Text, bool IsError, string? TaskId);
}
