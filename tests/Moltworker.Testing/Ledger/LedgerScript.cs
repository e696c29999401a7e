using Moltworker.Testing.OpenAI;

namespace Moltworker.Testing.Ledger;

/// <summary>
/// A stateless model script for the ledger tools (the reply depends only on the conversation so far, so a restarted
/// host gets the same answers): three parallel reads; two writes; a write and a read; then the answer listing every
/// result. Call ids are fixed, so idempotency keys are stable across restarts.
/// </summary>
public static class LedgerScript
{
    public static ScriptedReply Reply(ChatRequest request) =>
        request.Messages.Count(m => m.Role == "assistant" && m.ToolCalls.Count > 0) switch
        {
            0 => ScriptedReply.Calls(Read("a", "r1"), Read("b", "r2"), Read("c", "r3")),
            1 => ScriptedReply.Calls(Write("x", "w1"), Write("y", "w2")),
            2 => ScriptedReply.Calls(Write("z", "w3"), Read("d", "r4")),
            _ => ScriptedReply.Answer("done: " + string.Join(", ", request.Messages.Where(m => m.Role == "tool").Select(m => m.Content))),
        };

    private static ScriptedToolCall Read(string item, string id) => ScriptedToolCall.Json("ledger_read", new { item }, id);
    private static ScriptedToolCall Write(string item, string id) => ScriptedToolCall.Json("ledger_write", new { item }, id);
}
