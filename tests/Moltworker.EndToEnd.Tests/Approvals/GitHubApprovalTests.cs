using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Api;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Tasks;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Approvals;

/// <summary>Issue 14: a github_api POST asked for by a scripted model waits for a person. The in-test GitHub server gets
/// nothing before the answer, exactly one request after Approve, nothing after Deny or expiry; the model reads the
/// outcome and the turn ends with one answer.</summary>
public sealed class GitHubApprovalTests
{
    private static readonly ScriptedReply OpenIssue = ScriptedReply.Calls(ScriptedToolCall.Json("github_api",
        new { method = "POST", path = "/repos/octo/hello/issues", body = "{\"title\":\"bug\"}" }, "call-write")) with { Text = "I will open the issue." };

    [Fact]
    public async Task Approved_the_write_runs_once_and_the_turn_finishes()
    {
        await using var app = await ApprovalHost.StartAsync();
        app.Model.Enqueue(OpenIssue, ScriptedReply.Answer("Opened the issue."));

        var waiting = await app.ChatAsync("gh-approve", "open an issue");
        Assert.False(waiting.GetProperty("isError").GetBoolean());
        Assert.Contains("approval", waiting.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, app.Writes);
        var taskId = waiting.GetProperty("taskId").GetString()!;
        var task = await app.Host.Services.GetRequiredService<ITaskStore>().GetAsync(taskId, CancellationToken.None);
        Assert.Equal(DurableTaskStatus.AwaitingApproval, task!.Status);

        var pending = Assert.Single(await app.PendingAsync());
        Assert.Equal("github_api", pending.GetProperty("tool").GetString());
        Assert.Equal(taskId, pending.GetProperty("taskId").GetString());
        Assert.Equal("gh-approve", pending.GetProperty("chatId").GetString());
        Assert.Contains("POST", pending.GetProperty("arguments").GetString(), StringComparison.Ordinal);
        Assert.Equal("I will open the issue.", pending.GetProperty("reason").GetString());
        var id = pending.GetProperty("id").GetString()!;

        var answered = app.AnswerOf(taskId);
        using (var response = await app.AnswerAsync(id, approve: true))
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("Opened the issue.", (await answered).Text);
        Assert.Equal(1, app.Writes);

        using (var again = await app.AnswerAsync(id, approve: false))
            Assert.Contains("already answered", (await ApiResponses.AssertProblemAsync(again, 409)).Detail(), StringComparison.Ordinal);
        Assert.Equal(1, app.Writes);
        Assert.Empty(await app.PendingAsync());
        var toolResult = app.Model.Requests[^1].Messages.Single(m => m.Role == "tool");
        Assert.Contains("201", toolResult.Content, StringComparison.Ordinal);
        Assert.Equal(DurableTaskStatus.Completed, (await app.Host.Services.GetRequiredService<ITaskStore>().GetAsync(taskId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Denied_the_write_never_runs_and_the_model_reads_who_denied_it()
    {
        await using var app = await ApprovalHost.StartAsync();
        app.Model.Enqueue(OpenIssue, ScriptedReply.Answer("I did not open it."));
        var waiting = await app.ChatAsync("gh-deny", "open an issue");
        var taskId = waiting.GetProperty("taskId").GetString()!;
        var id = Assert.Single(await app.PendingAsync()).GetProperty("id").GetString()!;

        var answered = app.AnswerOf(taskId);
        using (var response = await app.AnswerAsync(id, approve: false))
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("I did not open it.", (await answered).Text);

        Assert.Equal(0, app.Writes);
        var toolResult = app.Model.Requests[^1].Messages.Single(m => m.Role == "tool");
        Assert.StartsWith("Denied: http:loopback denied this github_api call", toolResult.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unanswered_the_request_expires_on_the_injected_clock_and_the_write_never_runs()
    {
        await using var app = await ApprovalHost.StartAsync();
        app.Model.Enqueue(OpenIssue, ScriptedReply.Answer("Nobody approved it."));
        var waiting = await app.ChatAsync("gh-expire", "open an issue");
        var taskId = waiting.GetProperty("taskId").GetString()!;
        var id = Assert.Single(await app.PendingAsync()).GetProperty("id").GetString()!;
        var sweeper = app.Host.Services.GetRequiredService<ApprovalSweeper>();

        app.Time.Advance(TimeSpan.FromMinutes(9));
        Assert.Empty(await sweeper.SweepAsync(CancellationToken.None));
        Assert.Single(await app.PendingAsync());

        var answered = app.AnswerOf(taskId);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([taskId], await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal("Nobody approved it.", (await answered).Text);

        Assert.Equal(0, app.Writes);
        var toolResult = app.Model.Requests[^1].Messages.Single(m => m.Role == "tool");
        Assert.Contains("within 10 min; the request expired", toolResult.Content, StringComparison.Ordinal);
        using var late = await app.AnswerAsync(id, approve: true);
        Assert.Contains("expired", (await ApiResponses.AssertProblemAsync(late, 409)).Detail(), StringComparison.Ordinal);
        Assert.Equal(0, app.Writes);
    }

    [Fact]
    public async Task In_a_batch_of_two_reads_and_a_write_the_reads_finish_the_write_waits_and_every_call_gets_one_result()
    {
        await using var app = await ApprovalHost.StartAsync();
        app.Model.Enqueue(
            ScriptedReply.Calls(
                ScriptedToolCall.Json("github_read_file", new { repository = "octo/hello", path = "README.md" }, "read-1"),
                ScriptedToolCall.Json("github_api", new { method = "POST", path = "/repos/octo/hello/issues", body = "{}" }, "write-1"),
                ScriptedToolCall.Json("github_read_file", new { repository = "octo/hello", path = "src/main.c" }, "read-2")),
            ScriptedReply.Answer("Read both and opened the issue."));

        var waiting = await app.ChatAsync("gh-batch", "read and write");
        var taskId = waiting.GetProperty("taskId").GetString()!;
        Assert.Equal(2, app.Reads);
        Assert.Equal(0, app.Writes);
        var id = Assert.Single(await app.PendingAsync()).GetProperty("id").GetString()!;

        var answered = app.AnswerOf(taskId);
        using (var response = await app.AnswerAsync(id, approve: true))
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("Read both and opened the issue.", (await answered).Text);

        Assert.Equal(2, app.Reads); // the reads' results came from the journal
        Assert.Equal(1, app.Writes);
        Assert.Equal(2, app.Model.RequestCount);
        var results = app.Model.Requests[^1].Messages.Where(m => m.Role == "tool").ToList();
        Assert.Equal(["read-1", "write-1", "read-2"], results.Select(r => r.ToolCallId));
        Assert.Contains("A test repository", results[0].Content, StringComparison.Ordinal);
        Assert.Contains("201", results[1].Content, StringComparison.Ordinal);
        Assert.Contains("int main", results[2].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_get_through_github_api_runs_without_asking()
    {
        await using var app = await ApprovalHost.StartAsync();
        app.Model.Enqueue(ScriptedReply.Call("github_api", JsonSerializer.Serialize(new { method = "GET", path = "/repos/octo/hello/contents/README.md" })),
            ScriptedReply.Answer("Read it."));
        var reply = await app.ChatAsync("gh-get", "read");
        Assert.Equal("Read it.", reply.GetProperty("text").GetString());
        Assert.Empty(await app.PendingAsync());
    }
}
