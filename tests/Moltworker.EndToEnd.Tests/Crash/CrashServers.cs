using Moltworker.Testing.Ledger;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Crash;

/// <summary>The in-test model (a stateless script) and ledger shared by the crash tests.</summary>
public sealed class CrashServers : IAsyncLifetime
{
    public FakeOpenAIServer Llm { get; private set; } = null!;
    public LedgerServer Ledger { get; private set; } = null!;
    private Task<CrashResumeTests.Outcome>? _baseline;

    public async Task InitializeAsync()
    {
        Llm = await FakeOpenAIServer.StartAsync();
        Llm.RecordRequests = false;
        Llm.Responder = Script;
        Ledger = await LedgerServer.StartAsync();
    }

    /// <summary>Stateless: the reply depends only on the conversation so far, so a restarted host gets the same answers.</summary>
    private static ScriptedReply Script(ChatRequest request) =>
        request.Messages.FirstOrDefault(m => m.Role == "user")?.Content == AppendScript ? AppendReply(request) : request.Messages.Count(m => m.Role == "assistant" && m.ToolCalls.Count > 0) switch
        {
            0 => ScriptedReply.Calls(Read("a", "r1"), Read("b", "r2"), Read("c", "r3")),
            1 => ScriptedReply.Calls(Write("x", "w1"), Write("y", "w2")),
            2 => ScriptedReply.Calls(Write("z", "w3"), Read("d", "r4")),
            _ => ScriptedReply.Answer("done: " + string.Join(", ", request.Messages.Where(m => m.Role == "tool").Select(m => m.Content))),
        };

    /// <summary>The user message that selects the second script: one append (a side effect that cannot reconcile).</summary>
    public const string AppendScript = "run the append script";

    private static ScriptedReply AppendReply(ChatRequest request) =>
        request.Messages.Any(m => m.Role == "tool")
            ? ScriptedReply.Answer("append finished: " + string.Join(", ", request.Messages.Where(m => m.Role == "tool").Select(m => m.Content)))
            : ScriptedReply.Calls(ScriptedToolCall.Json("ledger_append", new { item = "q" }, "a1"));

    private static ScriptedToolCall Read(string item, string id) => ScriptedToolCall.Json("ledger_read", new { item }, id);
    private static ScriptedToolCall Write(string item, string id) => ScriptedToolCall.Json("ledger_write", new { item }, id);

    public Task<CrashResumeTests.Outcome> Baseline => _baseline ??= CrashResumeTests.RunScenarioAsync(this, []);

    public async Task DisposeAsync()
    {
        await Llm.DisposeAsync();
        await Ledger.DisposeAsync();
    }
}
