using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Events;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.State;

namespace Moltworker.EndToEnd.Tests.Api;

/// <summary>Issue 13: the route groups that read the host's catalogs and stores (plugins, agents, usage, transactions,
/// knowledge, feedback), over real HTTP: each one's answer after a real one-batch turn, its scope (401 without a key,
/// 403 with the wrong one) and a problem body for bad input.</summary>
public sealed class CatalogApiTests
{
    [Fact]
    public async Task Plugins_agents_usage_and_transactions_describe_what_the_turn_used()
    {
        await using var h = await EventsHost.StartAsync();
        var taskId = await h.ChatAsync("catalog", "look around");

        var plugins = await h.Http.GetFromJsonAsync<JsonElement>("/api/plugins");
        var tools = plugins.GetProperty("loaded").EnumerateArray().SelectMany(p => p.GetProperty("tools").EnumerateArray())
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("description").GetString());
        Assert.Equal("Looks at a thing", tools["look"]);
        Assert.Equal(JsonValueKind.Array, plugins.GetProperty("failed").ValueKind);

        var agents = await h.Http.GetFromJsonAsync<JsonElement>("/api/agents");
        var names = agents.GetProperty("agents").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        Assert.Contains("default", names);
        Assert.All(agents.GetProperty("agents").EnumerateArray(), a => Assert.False(string.IsNullOrWhiteSpace(a.GetProperty("description").GetString())));
        Assert.Empty(agents.GetProperty("errors").EnumerateArray());

        var calls = await h.Host.EventuallyAsync(() => h.Http.GetFromJsonAsync<JsonElement>($"/api/transactions?task={taskId}"),
            t => t.GetProperty("transactions").GetArrayLength() >= 5, "the turn's 2 model calls and 3 tool calls in the log");
        var rows = calls.GetProperty("transactions").EnumerateArray().ToList();
        Assert.Equal(3, rows.Count(r => r.GetProperty("kind").GetString() == "tool" && r.GetProperty("name").GetString() == "look"));
        Assert.Equal(2, rows.Count(r => r.GetProperty("kind").GetString() == "model"));
        Assert.All(rows, r => Assert.Equal(taskId, r.GetProperty("taskId").GetString()));
        var onlyTools = await h.Http.GetFromJsonAsync<JsonElement>($"/api/transactions?task={taskId}&kind=tool&limit=2");
        Assert.Equal(2, onlyTools.GetProperty("transactions").GetArrayLength());

        var byTask = await h.Http.GetFromJsonAsync<JsonElement>("/api/usage?by=task");
        Assert.Equal("task", byTask.GetProperty("by").GetString());
        var row = byTask.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("key").GetString() == taskId);
        Assert.Equal(2, row.GetProperty("calls").GetInt64());
        Assert.True(byTask.GetProperty("total").GetProperty("calls").GetInt64() >= 2);
        var future = await h.Http.GetFromJsonAsync<JsonElement>($"/api/usage?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}");
        Assert.Empty(future.GetProperty("totals").EnumerateArray());

        foreach (var (path, parameter) in new[]
                 {
                     ("/api/usage?by=planet", "by"), ("/api/usage?since=yesterday", "since"), ("/api/transactions?limit=0", "limit"),
                     ("/api/transactions?kind=human", "kind"), ("/api/transactions?until=soon", "until"),
                 })
        {
            using var response = await h.Http.GetAsync(path);
            Assert.Contains(parameter, (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_document_ingested_over_http_is_found_by_search_and_bad_or_oversized_bodies_get_problems()
    {
        await using var h = await EventsHost.StartAsync(["--Moltworker:Api:MaxIngestBytes=20000"]);
        var body = new { source = "notes/oncall.md", text = "# On call\n\nThe pager rotation hands over on Tuesdays at noon.", tags = new[] { "ops" } };
        var first = await PostOkAsync(h.Http, "/api/knowledge/ingest", body);
        Assert.True(first.GetProperty("added").GetBoolean());
        Assert.True(first.GetProperty("chunks").GetInt32() > 0);
        var again = await PostOkAsync(h.Http, "/api/knowledge/ingest", body);
        Assert.True(again.GetProperty("unchanged").GetBoolean());

        var found = await h.Http.GetFromJsonAsync<JsonElement>("/api/knowledge/search?q=pager%20rotation&tag=ops");
        var hit = found.GetProperty("hits").EnumerateArray().First();
        Assert.Equal("notes/oncall.md", hit.GetProperty("source").GetString());
        Assert.Contains("Tuesdays", hit.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Empty((await h.Http.GetFromJsonAsync<JsonElement>("/api/knowledge/search?q=pager%20rotation&tag=nope")).GetProperty("hits").EnumerateArray());

        using (var response = await h.Http.GetAsync("/api/knowledge/search"))
            Assert.Contains("q ", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        using (var response = await h.Http.GetAsync("/api/knowledge/search?q=x&top=500"))
            Assert.Contains("top", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        using (var response = await h.Http.PostJsonTextAsync("/api/knowledge/ingest", "{\"source\": "))
            Assert.Contains("not valid JSON", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        using (var response = await h.Http.PostAsJsonAsync("/api/knowledge/ingest", new { source = "x.md" }))
            Assert.Contains("text", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        using (var response = await h.Http.PostAsJsonAsync("/api/knowledge/ingest", new { source = "x.md", text = "hi", format = "pdf" }))
            Assert.Contains("format", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        using (var response = await h.Http.PostAsync("/api/knowledge/ingest", new StringContent("plain", Encoding.UTF8, "text/plain")))
            await ApiResponses.AssertProblemAsync(response, 415);
        using (var response = await h.Http.PostAsJsonAsync("/api/knowledge/ingest", new { source = "big.md", text = new string('a', 30_000) }))
            Assert.Contains("MaxIngestBytes", (await ApiResponses.AssertProblemAsync(response, 413)).Detail(), StringComparison.Ordinal);
        Assert.DoesNotContain((await h.Http.GetFromJsonAsync<JsonElement>("/api/knowledge/search?q=aaaa")).GetProperty("hits").EnumerateArray(),
            x => x.GetProperty("source").GetString() == "big.md");
    }

    [Fact]
    public async Task Feedback_is_stored_for_a_task_and_listed_and_bad_ratings_or_unknown_tasks_are_refused()
    {
        await using var h = await EventsHost.StartAsync();
        var taskId = await h.ChatAsync("rate", "rate me");

        using (var created = await h.Http.PostAsJsonAsync("/api/feedback", new { taskId, rating = 4, note = "good, a bit slow" }))
        {
            Assert.Equal(201, (int)created.StatusCode);
            var view = await created.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((taskId, 4, "good, a bit slow", "loopback"),
                (view.GetProperty("taskId").GetString(), view.GetProperty("rating").GetInt32(), view.GetProperty("note").GetString(), view.GetProperty("by").GetString()));
        }
        using (var created = await h.Http.PostAsJsonAsync("/api/feedback", new { taskId, rating = 5 })) Assert.Equal(201, (int)created.StatusCode);
        var listed = await h.Http.GetFromJsonAsync<JsonElement>($"/api/feedback?taskId={taskId}");
        Assert.Equal([5, 4], listed.GetProperty("feedback").EnumerateArray().Select(f => f.GetProperty("rating").GetInt32()));

        foreach (var rating in new[] { 0, 6 })
        {
            using var response = await h.Http.PostAsJsonAsync("/api/feedback", new { taskId, rating });
            Assert.Contains("rating", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        }
        using (var response = await h.Http.PostAsJsonAsync("/api/feedback", new { taskId, rating = 3, note = new string('n', 4001) }))
            Assert.Contains("note", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        using (var response = await h.Http.PostAsJsonAsync("/api/feedback", new { taskId = "no-such-task", rating = 3 }))
            await ApiResponses.AssertProblemAsync(response, 404);
        using (var response = await h.Http.PostJsonTextAsync("/api/feedback", "{\"taskId\": \"x\", \"rating\": \"five\"}"))
            await ApiResponses.AssertProblemAsync(response, 400);
        Assert.Equal(2, (await h.Http.GetFromJsonAsync<JsonElement>($"/api/feedback?taskId={taskId}")).GetProperty("feedback").GetArrayLength());
    }

    [Fact]
    public async Task Each_route_needs_a_key_with_its_scope()
    {
        await using var h = await EventsHost.StartAsync();
        var keys = h.Host.Services.GetRequiredService<IApiKeyStore>();
        var read = await CreateAsync(keys, "reader", ApiScopes.Read);
        var chat = await CreateAsync(keys, "chatter", ApiScopes.Chat);
        var admin = await CreateAsync(keys, "ops", ApiScopes.Admin);
        var routes = new (HttpMethod Method, string Path, object? Body, string Scope)[]
        {
            (HttpMethod.Get, "/api/plugins", null, ApiScopes.Read),
            (HttpMethod.Get, "/api/agents", null, ApiScopes.Read),
            (HttpMethod.Get, "/api/usage", null, ApiScopes.Read),
            (HttpMethod.Get, "/api/transactions", null, ApiScopes.Read),
            (HttpMethod.Get, "/api/knowledge/search?q=x", null, ApiScopes.Read),
            (HttpMethod.Get, "/api/feedback", null, ApiScopes.Read),
            (HttpMethod.Post, "/api/knowledge/ingest", new { source = "s.md", text = "scoped" }, ApiScopes.Admin),
            (HttpMethod.Post, "/api/feedback", new { taskId = "none", rating = 3 }, ApiScopes.Chat),
        };
        foreach (var route in routes)
        {
            using (var response = await SendAsync(h.Http, route.Method, route.Path, route.Body, key: null)) await ApiResponses.AssertProblemAsync(response, 401);
            var wrong = route.Scope == ApiScopes.Read ? chat : read;
            using (var response = await SendAsync(h.Http, route.Method, route.Path, route.Body, wrong))
                Assert.Contains($"'{route.Scope}' scope", (await ApiResponses.AssertProblemAsync(response, 403)).Detail(), StringComparison.Ordinal);
            var right = route.Scope switch { ApiScopes.Read => read, ApiScopes.Chat => chat, _ => admin };
            using (var response = await SendAsync(h.Http, route.Method, route.Path, route.Body, right))
                Assert.True((int)response.StatusCode is 200 or 404, $"{route.Path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<JsonElement> PostOkAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, object? body, string? key)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http.SendAsync(request);
    }

    private static async Task<string> CreateAsync(IApiKeyStore keys, string name, params string[] scopes)
    {
        var key = ApiKeyText.Generate();
        Assert.True(await keys.CreateAsync(new ApiKeyRecord(name, ApiKeyText.Hash(key), scopes, DateTimeOffset.UtcNow), CancellationToken.None));
        return key;
    }
}
