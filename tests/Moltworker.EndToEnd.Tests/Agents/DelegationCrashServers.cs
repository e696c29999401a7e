using Moltworker.Testing.Ledger;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Agents;

/// <summary>
/// The in-test model and ledger of the delegation crash tests. The model is a stateless script that answers by the
/// request's system prompt: BOSS asks WRITER once (<c>ask_writer</c>, call d1) and answers with its result; WRITER writes
/// x (call w1), then y (call w2), each a side effect reconciled by idempotency key, then answers with both results. The
/// model calls of each agent are counted, so a test can tell that nothing finished was asked again.
/// </summary>
public sealed class DelegationCrashServers : IAsyncLifetime
{
    private int _boss;
    private int _writer;

    public FakeOpenAIServer Llm { get; private set; } = null!;
    public LedgerServer Ledger { get; private set; } = null!;
    public int BossCalls => Volatile.Read(ref _boss);
    public int WriterCalls => Volatile.Read(ref _writer);

    /// <summary>The agent files: BOSS may ask WRITER and has no other tool; WRITER has the ledger's write only.</summary>
    public static string WritePrompts(string folder)
    {
        var prompts = Path.Combine(folder, "prompts");
        Directory.CreateDirectory(Path.Combine(prompts, "agents"));
        File.WriteAllText(Path.Combine(prompts, "system.md"), "Test system prompt.");
        File.WriteAllText(Path.Combine(prompts, "agents", "default.md"), "---\ndescription: \"Boss.\"\ntools: []\ndelegates_to: [writer]\n---\nYou are BOSS.");
        File.WriteAllText(Path.Combine(prompts, "agents", "writer.md"), "---\ndescription: \"Writes to the ledger.\"\ntools: [ledger_write]\n---\nYou are WRITER.");
        return prompts;
    }

    public async Task InitializeAsync()
    {
        Llm = await FakeOpenAIServer.StartAsync();
        Llm.RecordRequests = false;
        Llm.Responder = Script;
        Ledger = await LedgerServer.StartAsync();
    }

    private ScriptedReply Script(ChatRequest request)
    {
        var system = request.Messages.FirstOrDefault(m => m.Role == "system")?.Content ?? "";
        var results = request.Messages.Where(m => m.Role == "tool").Select(m => m.Content).ToList();
        if (system.Contains("You are WRITER", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _writer);
            return results.Count switch
            {
                0 => ScriptedReply.Calls(ScriptedToolCall.Json("ledger_write", new { item = "x" }, "w1")),
                1 => ScriptedReply.Calls(ScriptedToolCall.Json("ledger_write", new { item = "y" }, "w2")),
                _ => ScriptedReply.Answer("wrote " + string.Join(", ", results)),
            };
        }
        Interlocked.Increment(ref _boss);
        return results.Count == 0
            ? ScriptedReply.Calls(ScriptedToolCall.Json("ask_writer", new { message = "write x, then y" }, "d1"))
            : ScriptedReply.Answer("boss: " + results[^1]);
    }

    public async Task DisposeAsync()
    {
        await Llm.DisposeAsync();
        await Ledger.DisposeAsync();
    }
}
