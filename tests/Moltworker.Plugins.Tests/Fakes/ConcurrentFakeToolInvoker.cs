using Moltworker.Abstractions;

namespace Moltworker.Plugins.Tests.Fakes;

/// <summary>A stand-in for the kernel's IToolInvoker: runs every call of a batch at once; failures become error outcomes.</summary>
public sealed class ConcurrentFakeToolInvoker : IToolInvoker
{
    private readonly Dictionary<string, Func<IReadOnlyDictionary<string, object?>, CancellationToken, Task<string>>> _tools = new(StringComparer.Ordinal);

    public List<IReadOnlyList<ToolRequest>> Batches { get; } = [];

    public ConcurrentFakeToolInvoker Add(string name, Func<IReadOnlyDictionary<string, object?>, CancellationToken, Task<string>> tool)
    {
        _tools[name] = tool;
        return this;
    }

    public async Task<IReadOnlyList<ToolOutcome>> InvokeBatchAsync(IReadOnlyList<ToolRequest> calls, ToolContext caller, CancellationToken cancellationToken)
    {
        lock (Batches) Batches.Add(calls);
        return await Task.WhenAll(calls.Select(async call =>
        {
            if (!_tools.TryGetValue(call.Tool, out var tool)) return new ToolOutcome(call.Tool, $"Error: unknown tool {call.Tool}", true);
            try
            {
                return new ToolOutcome(call.Tool, await Task.Run(() => tool(call.Arguments, cancellationToken), cancellationToken), false);
            }
            catch (ToolException ex)
            {
                return new ToolOutcome(call.Tool, $"Error: {ex.Message}", true);
            }
        }));
    }
}
