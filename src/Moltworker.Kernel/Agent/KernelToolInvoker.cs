using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Abstractions;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Agent;

/// <summary>Lets a tool run other tools as one batch through the full pipeline (<see cref="IToolInvoker"/>).
/// Resolves the batch runner lazily: plugins that take this are themselves built from the catalog.</summary>
public sealed class KernelToolInvoker(IServiceProvider services) : IToolInvoker
{
    public async Task<IReadOnlyList<ToolOutcome>> InvokeBatchAsync(IReadOnlyList<ToolRequest> calls, ToolContext caller, CancellationToken cancellationToken)
    {
        var batches = services.GetRequiredService<BatchRunner>();
        var turn = new TurnContext
        {
            TaskId = string.IsNullOrEmpty(caller.TaskId) ? Chat.TaskIds.New() : caller.TaskId,
            Address = new ChatAddress(caller.Channel ?? "internal", caller.ChatId ?? "internal", caller.UserId),
            History = [],
            Model = ModelInfo.None,
            Agent = "tool",
            CancellationToken = cancellationToken,
        };
        var contents = calls.Select((c, i) => new FunctionCallContent($"{caller.CallId}_{i}", c.Tool, c.Arguments.ToDictionary(kv => kv.Key, kv => kv.Value))).ToList();
        var results = await batches.RunAsync(turn, contents, string.IsNullOrEmpty(caller.CallId) ? "tool" : caller.CallId, composed: true);
        return results.Select(r => new ToolOutcome(r.Call.Name, r.Result!.Content, r.Result.IsError)).ToList();
    }
}
