using System.Net.Http.Json;
using System.Text.Json;
using Moltworker.EndToEnd.Tests.Api;
using Moltworker.EndToEnd.Tests.Events;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Agents;

/// <summary>
/// <c>GET /api/tasks/{id}/threads</c> through the real host: BOSS asks RESEARCHER and REVIEWER in one response, and
/// RESEARCHER asks REVIEWER in turn. Each agent's model replies carry fixed token counts, so every thread's own usage is
/// known; the tree holds each thread with its parent and call, and the task's total is the sum of every thread's own
/// usage and cost. The tree matches the stored delegation events, which come in causal order, and it reads the same
/// after the host restarts.
/// </summary>
public sealed class ThreadTreeApiTests
{
    private static string Prompts(TempFolder folder)
    {
        var prompts = folder.Sub("prompts");
        Directory.CreateDirectory(Path.Combine(prompts, "agents"));
        File.WriteAllText(Path.Combine(prompts, "agents", "default.md"), "---\ntools: []\ndelegates_to: [researcher, reviewer]\n---\nYou are BOSS.");
        File.WriteAllText(Path.Combine(prompts, "agents", "researcher.md"), "---\ntools: []\ndelegates_to: [reviewer]\n---\nYou are RESEARCHER.");
        File.WriteAllText(Path.Combine(prompts, "agents", "reviewer.md"), "---\ntools: []\n---\nYou are REVIEWER.");
        return prompts;
    }

    private static ScriptedReply Script(ChatRequest request)
    {
        var system = request.Messages.First(m => m.Role == "system").Content ?? "";
        var answered = request.Messages.Any(m => m.Role == "tool");
        if (system.Contains("You are REVIEWER", StringComparison.Ordinal)) return ScriptedReply.Answer("looks right") with { PromptTokens = 20, CompletionTokens = 2 };
        if (system.Contains("You are RESEARCHER", StringComparison.Ordinal))
            return (answered ? ScriptedReply.Answer("found it, reviewed")
                : ScriptedReply.Calls(ScriptedToolCall.Json("ask_reviewer", new { message = "check my finding" }, "r1"))) with { PromptTokens = 50, CompletionTokens = 5 };
        return (answered ? ScriptedReply.Answer("all done")
            : ScriptedReply.Calls(ScriptedToolCall.Json("ask_researcher", new { message = "find it" }, "d1"),
                ScriptedToolCall.Json("ask_reviewer", new { message = "check the question" }, "d2"))) with { PromptTokens = 100, CompletionTokens = 10 };
    }

    private static Task<RunningHost> StartAsync(FakeOpenAIServer model, TempFolder folder) => RunningHost.StartAsync(
        [$"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=gpt-4o-mini", "--Moltworker:Llm:ApiKey=sk-test",
         "--Moltworker:Api:RateLimit:Enabled=false", $"--Moltworker:Prompts:Directory={Prompts(folder)}"], folder: folder);

    [Fact]
    public async Task The_thread_tree_carries_each_threads_usage_sums_to_the_tasks_total_matches_the_events_and_survives_a_restart()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Responder = Script;
        using var folder = new TempFolder();
        string taskId;
        JsonElement tree;
        await using (var host = await StartAsync(model, folder))
        {
            var answer = await host.Http.ChatOkAsync(new { chatId = "tree", text = "go" });
            Assert.Equal("all done", answer.GetProperty("text").GetString());
            taskId = answer.GetProperty("taskId").GetString()!;

            tree = await host.GetJsonAsync($"/api/tasks/{taskId}/threads");
            var events = (await host.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}/events")).GetProperty("events").EnumerateArray().Select(WireEvent.From).ToList();
            AssertTree(tree, taskId);
            AssertMatchesEvents(tree, events);

            using var missing = await host.Http.GetAsync("/api/tasks/no-such-task/threads");
            await ApiResponses.AssertProblemAsync(missing, 404);
        }

        await using (var again = await StartAsync(model, folder))
            Assert.Equal(tree.GetRawText(), (await again.GetJsonAsync($"/api/tasks/{taskId}/threads")).GetRawText());   // a 500 here says why
    }

    private static void AssertTree(JsonElement tree, string taskId)
    {
        Assert.Equal(taskId, tree.GetProperty("taskId").GetString());
        var root = tree.GetProperty("root");
        Assert.Equal((taskId, "default", "completed"), (root.GetProperty("threadId").GetString(), root.GetProperty("agent").GetString(), root.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parentThreadId").ValueKind);
        var children = root.GetProperty("children").EnumerateArray().ToList();
        var researcher = Assert.Single(children, c => c.GetProperty("agent").GetString() == "researcher");
        var reviewer = Assert.Single(children, c => c.GetProperty("agent").GetString() == "reviewer");
        var grandchild = Assert.Single(researcher.GetProperty("children").EnumerateArray());
        Assert.Equal(("d1", "d2", "r1"), (researcher.GetProperty("toolCallId").GetString(), reviewer.GetProperty("toolCallId").GetString(), grandchild.GetProperty("toolCallId").GetString()));
        Assert.Equal((taskId, taskId, researcher.GetProperty("threadId").GetString()),
            (researcher.GetProperty("parentThreadId").GetString(), reviewer.GetProperty("parentThreadId").GetString(), grandchild.GetProperty("parentThreadId").GetString()));
        Assert.All(new[] { researcher, reviewer, grandchild }, t => Assert.Equal("completed", t.GetProperty("status").GetString()));
        Assert.All(new[] { root, researcher, reviewer, grandchild }, t => Assert.True(t.GetProperty("endedAt").GetDateTimeOffset() >= t.GetProperty("startedAt").GetDateTimeOffset()));

        // Each thread's own usage is its own model calls: BOSS 2 × (100, 10), RESEARCHER 2 × (50, 5), each REVIEWER 1 × (20, 2).
        Assert.Equal((200L, 20L), Tokens(root.GetProperty("usage")));
        Assert.Equal((100L, 10L), Tokens(researcher.GetProperty("usage")));
        Assert.Equal((20L, 2L), Tokens(reviewer.GetProperty("usage")));
        Assert.Equal((20L, 2L), Tokens(grandchild.GetProperty("usage")));
        Assert.Equal((120L, 12L), Tokens(researcher.GetProperty("totalUsage")));
        // The task's total is the sum over its threads, in tokens and in cost (gpt-4o-mini's catalog prices).
        var all = new[] { root, researcher, reviewer, grandchild }.Select(t => t.GetProperty("usage")).ToList();
        Assert.Equal((340L, 34L), Tokens(tree.GetProperty("usage")));
        Assert.Equal((all.Sum(u => u.GetProperty("inputTokens").GetInt64()), all.Sum(u => u.GetProperty("outputTokens").GetInt64())), Tokens(tree.GetProperty("usage")));
        Assert.Equal(all.Sum(u => u.GetProperty("cost").GetDecimal()), tree.GetProperty("usage").GetProperty("cost").GetDecimal());
        Assert.Equal((340m * 0.15m + 34m * 0.6m) / 1_000_000m, tree.GetProperty("usage").GetProperty("cost").GetDecimal());
        Assert.Equal(tree.GetProperty("usage").GetRawText(), root.GetProperty("totalUsage").GetRawText());
    }

    private static (long, long) Tokens(JsonElement usage) => (usage.GetProperty("inputTokens").GetInt64(), usage.GetProperty("outputTokens").GetInt64());

    /// <summary>Every delegation event names a thread of the tree with its agent, caller and call; each child's
    /// <c>po_state: thinking</c> comes after its <c>po_delegation_started</c> and before its <c>po_delegation_completed</c>.</summary>
    private static void AssertMatchesEvents(JsonElement tree, IReadOnlyList<WireEvent> events)
    {
        var threads = new Dictionary<string, (JsonElement Thread, string? ParentAgent)>();
        void Walk(JsonElement thread, string? parentAgent)
        {
            threads[thread.GetProperty("threadId").GetString()!] = (thread, parentAgent);
            foreach (var child in thread.GetProperty("children").EnumerateArray()) Walk(child, thread.GetProperty("agent").GetString());
        }
        Walk(tree.GetProperty("root"), null);

        var started = events.Where(e => e.Name == "po_delegation_started").ToList();
        Assert.Equal(threads.Count - 1, started.Count);
        foreach (var start in started)
        {
            var id = start.Data.GetProperty("thread_id").GetString()!;
            var (thread, parentAgent) = threads[id];
            Assert.Equal(thread.GetProperty("agent").GetString(), start.Data.GetProperty("target").GetString());
            Assert.Equal(parentAgent, start.Data.GetProperty("caller").GetString());
            Assert.Equal(thread.GetProperty("toolCallId").GetString(), start.Data.GetProperty("tool_call_id").GetString());
            var completed = Assert.Single(events, e => e.Name == "po_delegation_completed" && e.Data.GetProperty("thread_id").GetString() == id);
            Assert.True(start.Id < completed.Id);
            var firstThinking = events.First(e => e.Id > start.Id && e.Name == "po_state" && e.Data.GetProperty("status").GetString() == "thinking");
            Assert.True(firstThinking.Id < completed.Id, $"the child {id} thought after its start and before its end");
        }
        var firstThought = events.First(e => e.Name == "po_state" && e.Data.GetProperty("status").GetString() == "thinking");
        Assert.True(firstThought.Id < started.Min(s => s.Id)); // the root thought first, then delegated
    }
}
