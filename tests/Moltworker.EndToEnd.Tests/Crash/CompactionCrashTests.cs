using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Journal;
using Moltworker.Storage.Sqlite.Stores;
using Moltworker.Testing.Ledger;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Crash;

/// <summary>
/// The crash host is killed with SIGKILL while a turn compacts its conversation: after the model summarized and before
/// the summary is stored, or just after it is stored. Restarted on the same database, the task finishes and the
/// conversation reads as it was or as compacted, never half: the summary (if any) stands for exactly the messages through
/// its range, every message after it is there once, and the next turn works on it.
/// </summary>
public sealed class CompactionCrashTests : IAsyncLifetime
{
    private const string SummaryText = "SUMMARY: the user asked q1 and got an answer.";
    private FakeOpenAIServer _llm = null!;
    private LedgerServer _ledger = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeOpenAIServer.StartAsync();
        // Each answer is about 8,000 tokens, so two earlier turns are over a tenth of gpt-4o-mini's window while one fits.
        _llm.Responder = request => request.Messages.FirstOrDefault()?.Content?.StartsWith("You condense", StringComparison.Ordinal) == true
            ? ScriptedReply.Answer(SummaryText)
            : ScriptedReply.Answer($"answer to {request.LastUserText}: " + string.Join(' ', Enumerable.Range(0, 4_000).Select(i => $"w{i * 7919 % 1000}")));
        _ledger = await LedgerServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _llm.DisposeAsync();
        await _ledger.DisposeAsync();
    }

    [Theory]
    [InlineData("before-summary:1", false)]
    [InlineData("after-summary:1", true)]
    public async Task A_host_killed_during_compaction_leaves_the_history_as_it_was_or_compacted_and_the_turn_finishes(string crashAt, bool compacted)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mw-compaction-crash-" + Guid.NewGuid().ToString("N"));
        string[] settings = ["--Moltworker:Context:CompactAt=0.1", "--Moltworker:Context:KeepRecent=2"];
        try
        {
            foreach (var question in new[] { "q1", "q2" })
            {
                var run = await RunAsync(dir, question, null, settings);
                Assert.True(run.ExitCode == 0 && run.Answer?.StartsWith($"answer to {question}:", StringComparison.Ordinal) == true, $"{run.Output}\n{run.Errors}");
            }
            Assert.DoesNotContain(_llm.Requests, IsSummaryRequest);   // one earlier turn fits: nothing compacts

            var killed = await RunAsync(dir, "q3", crashAt, settings);
            Assert.True(killed.Killed, $"expected a kill at {crashAt}: {killed.Output}\n{killed.Errors}");
            Assert.Single(_llm.Requests, IsSummaryRequest);

            var resumed = await RunAsync(dir, null, null, settings);
            Assert.True(resumed.ExitCode == 0, $"the resuming host failed: {resumed.Output}\n{resumed.Errors}");

            var (tasks, all, history) = await ReadAsync(dir);
            Assert.All(tasks, t => Assert.Equal(DurableTaskStatus.Completed, t.Status));
            Assert.Equal(3, tasks.Count);
            Assert.Equal(["q1", "answer to q1", "q2", "answer to q2", "q3", "answer to q3"], all.Select(m => m.Text.Split(':')[0]));
            if (compacted)
            {
                Assert.Equal(SummaryText, history.Summary?.Text);
                Assert.Equal(2, history.Summary!.Messages);
                Assert.Equal(["q2", "answer to q2", "q3", "answer to q3"], history.Messages.Select(m => m.Message.Text.Split(':')[0]));
                Assert.All(history.Messages, m => Assert.True(m.Id > history.Summary.ThroughId));
            }
            else
            {
                Assert.Null(history.Summary);
                Assert.Equal(all.Select(m => m.Text), history.Messages.Select(m => m.Message.Text));
            }

            // The next turn reads that history and compacts it: the summarizer gets the stored summary when there is one and
            // the messages after it (or all of them), and the model the new summary with the last turn.
            _llm.ClearRequests();
            var next = await RunAsync(dir, "q4", null, settings);
            Assert.True(next.ExitCode == 0 && next.Answer?.StartsWith("answer to q4:", StringComparison.Ordinal) == true, $"{next.Output}\n{next.Errors}");
            var summarizing = Assert.Single(_llm.Requests, IsSummaryRequest).Messages[^1].Content!;
            Assert.Equal(compacted, summarizing.Contains(SummaryText, StringComparison.Ordinal));
            Assert.Equal(!compacted, summarizing.Contains("answer to q1", StringComparison.Ordinal));
            Assert.Contains("answer to q2", summarizing);
            var answered = _llm.Requests.Last(r => !IsSummaryRequest(r));
            Assert.Contains(answered.Messages, m => m.Role == "system" && m.Content?.Contains(SummaryText, StringComparison.Ordinal) == true);
            Assert.Equal(["user", "assistant", "user"], answered.Messages.Where(m => m.Role != "system").Select(m => m.Role));
            Assert.Equal("q4", answered.LastUserText);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static bool IsSummaryRequest(ChatRequest request) =>
        request.Messages.FirstOrDefault()?.Content?.StartsWith("You condense", StringComparison.Ordinal) == true;

    private Task<CrashHostProcess.Run> RunAsync(string dir, string? ask, string? crashAt, string[] settings) =>
        CrashHostProcess.RunAsync(dir, new Uri(_llm.BaseUrl), _ledger.BaseUrl, ask: ask, crashAt: crashAt, settings: settings);

    private static async Task<(IReadOnlyList<DurableTask> Tasks, IReadOnlyList<Microsoft.Extensions.AI.ChatMessage> All, ConversationHistory History)> ReadAsync(string dir)
    {
        var db = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = dir }), [.. CoreMigrations.All, .. CompactionMigrations.All, JournalMigrations.V1]);
        var tasks = await new SqliteTaskStore(db, TimeProvider.System, new JournalWriteGate(db)).ListAsync(null, 10, default);
        var store = new SqliteConversationStore(db, TimeProvider.System);
        return (tasks, await store.LoadAsync("crash:1", 100, default), await store.LoadHistoryAsync("crash:1", 40, default));
    }
}
