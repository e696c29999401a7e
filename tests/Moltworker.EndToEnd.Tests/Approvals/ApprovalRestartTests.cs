using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Moltworker.EndToEnd.Tests.Api;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.EndToEnd.Tests.Operations;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Upstreams;

namespace Moltworker.EndToEnd.Tests.Approvals;

/// <summary>Issue 14: a request survives SIGKILL. `moltworker run` is killed while a github_api POST waits; the restarted
/// process still lists the request (asked once), and approving it over HTTP runs the call once and finishes the turn
/// with one answer.</summary>
public sealed class ApprovalRestartTests
{
    [Fact]
    public async Task Killed_while_pending_then_restarted_and_approved_the_call_runs_once_and_the_turn_answers_once()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        await using var upstream = await UpstreamServer.StartAsync();
        model.Enqueue(
            ScriptedReply.Calls(ScriptedToolCall.Json("github_api", new { method = "POST", path = "/repos/octo/hello/issues", body = "{}" }, "w1")),
            ScriptedReply.Answer("Opened it after the restart."));
        var folder = new TempFolder();
        var data = folder.Sub("data");
        string[] settings =
        [
            $"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test",
            $"--Moltworker:Plugins:GitHub:BaseUrl={upstream.BaseUrl}", "--Moltworker:Plugins:GitHub:Token=ghp_test",
        ];

        string id;
        await using (var first = await ServingHostProcess.StartAsync(data, folder.Path, settings))
        {
            using var http = new HttpClient { BaseAddress = first.Address };
            var waiting = await http.ChatOkAsync(new { chatId = "restart", userId = "u1", text = "open an issue", messageId = "m-1" });
            Assert.Contains("approval", waiting.GetProperty("text").GetString(), StringComparison.Ordinal);
            id = Assert.Single(await PendingAsync(http)).GetProperty("id").GetString()!;
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-KILL", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
            await kill.WaitForExitAsync();
            Assert.NotEqual(0, await first.ExitAsync());
        }
        Assert.Equal(0, Writes(upstream));

        await using var second = await ServingHostProcess.StartAsync(data, folder.Path, settings);
        using var client = new HttpClient { BaseAddress = second.Address, Timeout = TimeSpan.FromSeconds(60) };
        var pending = Assert.Single(await PendingAsync(client));
        Assert.Equal(id, pending.GetProperty("id").GetString());
        Assert.Equal(1, model.RequestCount); // not resumed at start: it waits for the answer

        using (var approve = await client.PostAsJsonAsync($"/api/approvals/{id}", new { approve = true, remember = false }))
            Assert.True(approve.IsSuccessStatusCode, await approve.Content.ReadAsStringAsync());
        // The same message again joins the resume the approval started (or gets its stored answer).
        var answer = await client.ChatOkAsync(new { chatId = "restart", userId = "u1", text = "open an issue", messageId = "m-1" });
        Assert.Equal("Opened it after the restart.", answer.GetProperty("text").GetString());
        Assert.False(answer.GetProperty("isError").GetBoolean());

        Assert.Equal(1, Writes(upstream));
        Assert.Equal(2, model.RequestCount);
        using (var again = await client.PostAsJsonAsync($"/api/approvals/{id}", new { approve = true, remember = false }))
            await ApiResponses.AssertProblemAsync(again, 409);
        var repeat = await client.ChatOkAsync(new { chatId = "restart", userId = "u1", text = "open an issue", messageId = "m-1" });
        Assert.Equal("Opened it after the restart.", repeat.GetProperty("text").GetString());
        Assert.Equal(1, Writes(upstream));
        Assert.Equal(2, model.RequestCount);
    }

    private static int Writes(UpstreamServer upstream) => upstream.Requests.Count(r => r.Method == "POST" && r.Path.StartsWith("/repos/", StringComparison.Ordinal));

    private static async Task<JsonElement[]> PendingAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/approvals")).GetProperty("approvals").EnumerateArray().ToArray();
}
