using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Api;
using Moltworker.EndToEnd.Tests.Events;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.State;

namespace Moltworker.EndToEnd.Tests.Tasks;

/// <summary>Issue 13: the tasks routes list (filtered, paged), get and cancel tasks and return a task's whole event log;
/// every refusal is a problem body; reading needs the read scope, cancelling the chat scope.</summary>
public sealed class TasksApiTests
{
    [Fact]
    public async Task Tasks_are_listed_newest_first_by_chat_and_status_in_pages_and_read_one_by_one()
    {
        await using var h = await EventsHost.StartAsync();
        var a = new List<string>();
        for (var i = 0; i < 3; i++) a.Add(await h.ChatAsync("list-a", $"a{i}"));
        var b = await h.ChatAsync("list-b", "b0");

        var all = await ListAsync(h, "?chat=list-a");
        Assert.Equal(Enumerable.Reverse(a), all.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.All(all.GetProperty("tasks").EnumerateArray(), t => Assert.Equal("completed", t.GetProperty("status").GetString()));
        var page1 = await ListAsync(h, "?chat=list-a&limit=2");
        Assert.Equal([a[2], a[1]], page1.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(2, page1.GetProperty("nextOffset").GetInt32());
        var page2 = await ListAsync(h, "?chat=list-a&limit=2&offset=2");
        Assert.Equal([a[0]], page2.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("nextOffset").ValueKind);
        Assert.Empty((await ListAsync(h, "?chat=list-a&status=running")).GetProperty("tasks").EnumerateArray());
        Assert.Equal([b], (await ListAsync(h, "?chat=list-b&status=completed")).GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));

        var one = await h.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{b}");
        Assert.Equal("answer to b0", one.GetProperty("finalText").GetString());
        Assert.Equal("list-b", one.GetProperty("chatId").GetString());
        Assert.Equal("http", one.GetProperty("channel").GetString());

        using (var response = await h.Http.GetAsync("/api/tasks?status=sleeping"))
            Assert.Contains("status", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        using (var response = await h.Http.GetAsync("/api/tasks?limit=0"))
            Assert.Contains("limit", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        using (var response = await h.Http.GetAsync("/api/tasks/no-such-task")) await ApiResponses.AssertProblemAsync(response, 404);
        using (var response = await h.Http.GetAsync("/api/tasks/no-such-task/events")) await ApiResponses.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task A_running_task_is_cancelled_its_request_answered_and_its_log_ends_failed()
    {
        await using var h = await EventsHost.StartAsync();
        h.Gate.Close();
        var chat = h.Http.ChatOkAsync(new { chatId = "cancel", text = "wait for it" });
        await h.Gate.FirstEntered.WaitAsync(TimeSpan.FromSeconds(30));
        var running = (await ListAsync(h, "?chat=cancel&status=running")).GetProperty("tasks").EnumerateArray().Single();
        Assert.True(running.GetProperty("runningHere").GetBoolean());
        var id = running.GetProperty("id").GetString()!;

        using (var response = await h.Http.PostAsync($"/api/tasks/{id}/cancel", null)) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await chat.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(answer.GetProperty("isError").GetBoolean());
        Assert.Equal("The task was cancelled.", answer.GetProperty("text").GetString());

        var task = await h.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}");
        Assert.Equal("failed", task.GetProperty("status").GetString());
        Assert.Equal("The task was cancelled.", task.GetProperty("lastError").GetString());
        var events = await h.TaskEventsAsync(id);
        Assert.Equal("task_failed", events[^1].Name);
        Assert.Equal("idle", events[^2].Data.GetProperty("status").GetString());
        using (var response = await h.Http.PostAsync($"/api/tasks/{id}/cancel", null))
            Assert.Contains("finished", (await ApiResponses.AssertProblemAsync(response, 409)).Detail(), StringComparison.Ordinal);
        using (var response = await h.Http.PostAsync("/api/tasks/no-such-task/cancel", null)) await ApiResponses.AssertProblemAsync(response, 404);
        h.Gate.Release();
        await h.ChatAsync("cancel", "the chat goes on");
    }

    [Fact]
    public async Task Reading_needs_the_read_scope_and_cancelling_the_chat_scope()
    {
        await using var h = await EventsHost.StartAsync();
        var keys = h.Host.Services.GetRequiredService<IApiKeyStore>();
        var read = await CreateAsync(keys, "reader", ApiScopes.Read);
        var chat = await CreateAsync(keys, "chatter", ApiScopes.Chat);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(h, HttpMethod.Get, "/api/tasks", read));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(h, HttpMethod.Post, "/api/tasks/none/cancel", chat));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(h, HttpMethod.Post, "/api/tasks/none/cancel", read));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(h, HttpMethod.Get, "/api/tasks", chat));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(h, HttpMethod.Get, "/api/events", chat));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(h, HttpMethod.Get, "/api/events", null));
    }

    private static async Task<JsonElement> ListAsync(EventsHost h, string query) => await h.Http.GetFromJsonAsync<JsonElement>("/api/tasks" + query);

    private static async Task<HttpStatusCode> StatusAsync(EventsHost h, HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await h.Http.SendAsync(request);
        if (!response.IsSuccessStatusCode) await ApiResponses.AssertProblemAsync(response, (int)response.StatusCode);
        return response.StatusCode;
    }

    private static async Task<string> CreateAsync(IApiKeyStore keys, string name, string scope)
    {
        var key = ApiKeyText.Generate();
        Assert.True(await keys.CreateAsync(new ApiKeyRecord(name, ApiKeyText.Hash(key), [scope], DateTimeOffset.UtcNow), CancellationToken.None));
        return key;
    }
}
