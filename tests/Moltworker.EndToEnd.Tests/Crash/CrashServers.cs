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

    /// <summary>The ledger script, or the append script when the user asks for it.</summary>
    private static ScriptedReply Script(ChatRequest request) =>
        request.Messages.FirstOrDefault(m => m.Role == "user")?.Content == AppendScript ? AppendReply(request) : LedgerScript.Reply(request);

    /// <summary>The user message that selects the second script: one append (a side effect that cannot reconcile).</summary>
    public const string AppendScript = "run the append script";

    private static ScriptedReply AppendReply(ChatRequest request) =>
        request.Messages.Any(m => m.Role == "tool")
            ? ScriptedReply.Answer("append finished: " + string.Join(", ", request.Messages.Where(m => m.Role == "tool").Select(m => m.Content)))
            : ScriptedReply.Calls(ScriptedToolCall.Json("ledger_append", new { item = "q" }, "a1"));

    public Task<CrashResumeTests.Outcome> Baseline => _baseline ??= CrashResumeTests.RunScenarioAsync(this, []);

    public async Task DisposeAsync()
    {
        await Llm.DisposeAsync();
        await Ledger.DisposeAsync();
    }
}
