using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Api;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.State;

namespace Moltworker.EndToEnd.Tests.Schedules;

/// <summary>GET/POST/DELETE /api/schedules (and pause/resume) over real HTTP, with the API's scopes and problem bodies; and the CLI verb
/// against the same data directory.</summary>
public sealed class SchedulesApiTests
{
    [Fact]
    public async Task Schedules_are_added_listed_refused_and_removed_over_http()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        using (var created = await host.Http.PostAsJsonAsync("/api/schedules",
                   new { channel = "telegram", chatId = "42", when = "0 8 * * 1-5", timeZone = "Europe/Oslo", what = "/briefing" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var body = await created.Content.ReadFromJsonAsync<JsonElement>();
            var id = body.GetProperty("id").GetString()!;
            Assert.Equal($"/api/schedules/{id}", created.Headers.Location!.OriginalString);
            Assert.Equal(("cron", "0 8 * * 1-5", "Europe/Oslo", "/briefing"),
                (body.GetProperty("kind").GetString(), body.GetProperty("cron").GetString(), body.GetProperty("timeZone").GetString(), body.GetProperty("what").GetString()));

            var listed = await host.Http.GetFromJsonAsync<JsonElement>("/api/schedules?channel=telegram&chatId=42");
            Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
            Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>("/api/schedules?channel=telegram&chatId=43")).EnumerateArray());

            using (var paused = await host.Http.PostAsync($"/api/schedules/{id}/pause", null))
            {
                Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
                var state = await paused.Content.ReadFromJsonAsync<JsonElement>();
                Assert.True(state.GetProperty("paused").GetBoolean());
                Assert.Equal(JsonValueKind.String, state.GetProperty("pausedAt").ValueKind);
            }
            Assert.True(Assert.Single((await host.Http.GetFromJsonAsync<JsonElement>("/api/schedules")).EnumerateArray()).GetProperty("paused").GetBoolean());
            using (var resumed = await host.Http.PostAsync($"/api/schedules/{id}/resume", null))
            {
                Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
                var state = await resumed.Content.ReadFromJsonAsync<JsonElement>();
                Assert.False(state.GetProperty("paused").GetBoolean());
                Assert.True(state.GetProperty("nextRunAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
            }
            using (var unknown = await host.Http.PostAsync("/api/schedules/deadbeef/pause", null))
                Assert.Equal("there is no schedule deadbeef", (await ApiResponses.AssertProblemAsync(unknown, 404)).Detail());

            using (var removed = await host.Http.DeleteAsync($"/api/schedules/{id}")) Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
            using (var again = await host.Http.DeleteAsync($"/api/schedules/{id}"))
                Assert.Equal($"there is no schedule {id}", (await ApiResponses.AssertProblemAsync(again, 404)).Detail());
        }

        using (var never = await host.Http.PostAsJsonAsync("/api/schedules", new { channel = "telegram", chatId = "42", when = "0 0 31 2 *", what = "/briefing" }))
            Assert.Equal("\"0 0 31 2 *\" never fires: day 31 of February never comes.", (await ApiResponses.AssertProblemAsync(never, 400)).Detail());
        using (var missing = await host.Http.PostAsJsonAsync("/api/schedules", new { channel = "telegram", when = "every 1h", what = "/briefing" }))
            Assert.Equal("chatId is required", (await ApiResponses.AssertProblemAsync(missing, 400)).Detail());
        using (var broken = await host.Http.PostJsonTextAsync("/api/schedules", "{not json"))
            Assert.StartsWith("the body is not valid JSON", (await ApiResponses.AssertProblemAsync(broken, 400)).Detail());
        Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>("/api/schedules")).EnumerateArray());
    }

    [Fact]
    public async Task Reading_needs_the_read_scope_and_changing_needs_the_chat_scope()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        var keys = host.Services.GetRequiredService<IApiKeyStore>();
        var read = await CreateAsync(keys, "reader", ApiScopes.Read);
        var chat = await CreateAsync(keys, "chatter", ApiScopes.Chat);

        using (var response = await SendAsync(host, HttpMethod.Get, "/api/schedules", null)) await ApiResponses.AssertProblemAsync(response, 401);
        using (var response = await SendAsync(host, HttpMethod.Get, "/api/schedules", read)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = new { channel = "telegram", chatId = "42", when = "every 1h", what = "/briefing" };
        using (var response = await SendAsync(host, HttpMethod.Post, "/api/schedules", read, body))
            Assert.Contains("'chat' scope", (await ApiResponses.AssertProblemAsync(response, 403)).Detail(), StringComparison.Ordinal);
        using (var response = await SendAsync(host, HttpMethod.Post, "/api/schedules", chat, body)) Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using (var response = await SendAsync(host, HttpMethod.Delete, "/api/schedules/abc", read)) await ApiResponses.AssertProblemAsync(response, 403);
        using (var response = await SendAsync(host, HttpMethod.Post, "/api/schedules/abc/pause", read)) await ApiResponses.AssertProblemAsync(response, 403);
        using (var response = await SendAsync(host, HttpMethod.Post, "/api/schedules/abc/resume", read)) await ApiResponses.AssertProblemAsync(response, 403);
    }

    [Fact]
    public async Task The_cli_adds_lists_and_removes_schedules_and_refuses_with_the_reason()
    {
        var folder = new TempFolder();
        var data = $"--Moltworker:DataDirectory={folder.Sub("data")}";
        var env = new Dictionary<string, string>();
        var added = await HostProcess.RunAsync(["schedules", "add", "--channel", "telegram", "--chat", "42", "--when", "every 2h", "--what", "/briefing", data], env, folder.Path);
        Assert.True(added.ExitCode == 0, added.Stderr);
        var id = added.Stdout.Trim().Split(' ')[0];
        Assert.Matches("^[0-9a-f]{8}$", id);

        var listed = await HostProcess.RunAsync(["schedules", "list", data], env, folder.Path);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(id, listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("telegram:42", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("every 2h", listed.Stdout, StringComparison.Ordinal);

        var refused = await HostProcess.RunAsync(["schedules", "add", "--channel", "telegram", "--chat", "42", "--when", "0 0 31 2 *", "--what", "/briefing", data], env, folder.Path);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("day 31 of February never comes", refused.Stderr, StringComparison.Ordinal);

        var paused = await HostProcess.RunAsync(["schedules", "pause", id, data], env, folder.Path);
        Assert.True(paused.ExitCode == 0, paused.Stderr);
        Assert.EndsWith("· paused", paused.Stdout.Trim(), StringComparison.Ordinal);
        var resumed = await HostProcess.RunAsync(["schedules", "resume", id, data], env, folder.Path);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("· next ", resumed.Stdout, StringComparison.Ordinal);
        var noSuch = await HostProcess.RunAsync(["schedules", "pause", "deadbeef", data], env, folder.Path);
        Assert.Equal(1, noSuch.ExitCode);
        Assert.Contains("there is no schedule deadbeef", noSuch.Stderr, StringComparison.Ordinal);

        var removed = await HostProcess.RunAsync(["schedules", "remove", id, data], env, folder.Path);
        Assert.True(removed.ExitCode == 0, removed.Stderr);
        var gone = await HostProcess.RunAsync(["schedules", "remove", id, data], env, folder.Path);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains($"there is no schedule {id}", gone.Stderr, StringComparison.Ordinal);
        folder.Dispose();
    }

    private static async Task<string> CreateAsync(IApiKeyStore keys, string name, params string[] scopes)
    {
        var key = ApiKeyText.Generate();
        Assert.True(await keys.CreateAsync(new ApiKeyRecord(name, ApiKeyText.Hash(key), scopes, DateTimeOffset.UtcNow), CancellationToken.None));
        return key;
    }

    private static Task<HttpResponseMessage> SendAsync(RunningHost host, HttpMethod method, string path, string? key, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return host.Http.SendAsync(request);
    }
}
