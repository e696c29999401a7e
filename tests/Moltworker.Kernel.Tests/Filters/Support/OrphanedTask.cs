using Microsoft.Extensions.AI;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Tests.Filters.Support;

/// <summary>A task a dead host left running: stored under <c>taskId</c>, owned by "dead-owner", checkpointed after the
/// model asked for one read (<c>gated_read</c> of "a"); the model then answers with the read's result.</summary>
public static class OrphanedTask
{
    public static async Task<string> CreateAsync(KernelHarness h, ChatAddress chat, string taskId)
    {
        h.Model.Responder = (messages, _, _) => Task.FromResult(ScriptedChatClient.ToolRounds(messages) switch
        {
            0 => ScriptedChatClient.Calls_(("r1", "gated_read", new { name = "a" })),
            _ => ScriptedChatClient.Answer("answer: " + messages.Last().Contents.OfType<FunctionResultContent>().Single().Result),
        });
        var turn = h.Turn(taskId: taskId);
        turn.TurnStart = 0;
        turn.History.Add(ScriptedChatClient.Calls_(("r1", "gated_read", new { name = "a" })).Messages[0]);
        await h.Get<ITaskStore>().CreateAsync(new DurableTask { Id = taskId, Address = chat, Agent = "default" }, "dead-owner",
            TaskCheckpoint.Of(turn).Encode(), default);
        return taskId;
    }
}
