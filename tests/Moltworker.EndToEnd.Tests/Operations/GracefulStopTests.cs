using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Operations;

/// <summary>SIGTERM to a real <c>moltworker run</c> process during a turn: the turn finishes within ShutdownTimeout, or is
/// cut, checkpointed and resumed at the next start with one answer; a second SIGTERM stops at once. Exit code 0 always.</summary>
public sealed class GracefulStopTests
{
    private static string[] Model(FakeOpenAIServer server, string timeout) =>
        [$"--Moltworker:Llm:BaseUrl={server.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:MaxRetries=0", $"--Moltworker:ShutdownTimeout={timeout}"];

    private static async Task<JsonElement> AskAsync(Uri address, string text)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(90) };
        using var response = await http.PostAsJsonAsync("/api/chat", new { chatId = "stop", text });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Sigterm_during_a_turn_lets_it_finish_then_exits_0()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Enqueue(ScriptedReply.Answer("finished during shutdown") with { WaitFor = release.Task });
        using var folder = new TempFolder();
        await using var host = await ServingHostProcess.StartAsync(folder.Sub("data"), folder.Path, Model(server, "00:01:00"));

        var turn = AskAsync(host.Address, "a slow question");
        await server.WaitForRequestsAsync(1);
        await host.TerminateAsync();
        await host.SeenAsync("Application is shutting down");
        Assert.False(turn.IsCompleted);
        release.SetResult();

        var answer = await turn;
        Assert.Equal("finished during shutdown", answer.GetProperty("text").GetString());
        Assert.Equal(0, await host.ExitAsync());
        Assert.Equal(("Completed", 1L), await TaskStateAsync(folder.Sub("data")));
    }

    [Fact]
    public async Task A_turn_still_running_at_the_timeout_is_checkpointed_and_answered_once_after_the_restart()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var never = new TaskCompletionSource();
        server.Enqueue(ScriptedReply.Answer("too late") with { WaitFor = never.Task }, ScriptedReply.Answer("answered after the restart"));
        using var folder = new TempFolder();
        var data = folder.Sub("data");
        // Three seconds: longer than System.CommandLine's own two-second stop handling, which must not cut `run` short.
        await using (var first = await ServingHostProcess.StartAsync(data, folder.Path, Model(server, "00:00:03")))
        {
            var turn = AskAsync(first.Address, "a question that outlives the host");
            await server.WaitForRequestsAsync(1);
            await first.TerminateAsync();
            Assert.Equal(0, await first.ExitAsync());
            await Assert.ThrowsAnyAsync<Exception>(() => turn);
        }
        Assert.Equal(("Running", 0L), await TaskStateAsync(data));

        await using var second = await ServingHostProcess.StartAsync(data, folder.Path, Model(server, "00:00:05"));
        await second.SeenAsync("Resuming task");
        await server.WaitForRequestsAsync(2);
        await EventuallyCompletedAsync(second.Address);
        await second.TerminateAsync();
        Assert.Equal(0, await second.ExitAsync());
        Assert.Equal(("Completed", 1L), await TaskStateAsync(data));
    }

    [Fact]
    public async Task A_second_sigterm_stops_at_once_and_the_task_resumes_at_the_next_start()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var never = new TaskCompletionSource();
        server.Enqueue(ScriptedReply.Answer("too late") with { WaitFor = never.Task }, ScriptedReply.Answer("answered after the forced stop"));
        using var folder = new TempFolder();
        var data = folder.Sub("data");
        await using (var first = await ServingHostProcess.StartAsync(data, folder.Path, Model(server, "00:10:00")))
        {
            _ = AskAsync(first.Address, "a question cut short").ContinueWith(t => t.Exception, TaskScheduler.Default);
            await server.WaitForRequestsAsync(1);
            await first.TerminateAsync();
            await first.SeenAsync("Application is shutting down");
            await first.TerminateAsync();
            // Far below the ten-minute ShutdownTimeout: the second signal did not wait for the turn.
            Assert.Equal(0, await first.ExitAsync(seconds: 60));
            Assert.Contains("Second stop signal", first.Output);
        }
        Assert.Equal(("Running", 0L), await TaskStateAsync(data));

        await using var second = await ServingHostProcess.StartAsync(data, folder.Path, Model(server, "00:00:05"));
        await EventuallyCompletedAsync(second.Address);
        await second.TerminateAsync();
        Assert.Equal(0, await second.ExitAsync());
        Assert.Equal(("Completed", 1L), await TaskStateAsync(data));
    }

    /// <summary>Polls /healthz's task counts until no task is running (a generous bound; the clock is not faked here).</summary>
    private static async Task EventuallyCompletedAsync(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var body = await http.GetFromJsonAsync<JsonElement>("/healthz");
            if (body.TryGetProperty("tasks", out var tasks) && tasks.TryGetProperty("completed", out var completed) && completed.GetInt32() >= 1) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no task completed: {body}");
            await Task.Delay(200);
        }
    }

    /// <summary>The one task's status and how many assistant answers the conversation holds.</summary>
    private static async Task<(string Status, long Answers)> TaskStateAsync(string data)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "moltworker.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT group_concat(status) FROM tasks), (SELECT COUNT(*) FROM messages WHERE role = 'assistant')";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetInt64(1));
    }
}
