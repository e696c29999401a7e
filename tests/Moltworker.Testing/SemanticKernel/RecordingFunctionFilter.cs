using System.Collections.Concurrent;
using Microsoft.SemanticKernel;

namespace Moltworker.Testing.SemanticKernel;

/// <summary>A user's own SK <see cref="IFunctionInvocationFilter"/>: records every function it runs around (name and
/// argument names, in the order the calls started) and how many ran inside it at once.</summary>
public sealed class RecordingFunctionFilter : IFunctionInvocationFilter
{
    private int _inside;
    private int _peak;

    public ConcurrentQueue<(string Function, IReadOnlyList<string> Arguments)> Calls { get; } = new();
    public int Peak => Volatile.Read(ref _peak);

    public IReadOnlyList<string> Names => Calls.Select(c => c.Function).ToList();

    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        Calls.Enqueue((context.Function.Name, context.Arguments.Names.Order(StringComparer.Ordinal).ToList()));
        var now = Interlocked.Increment(ref _inside);
        int seen;
        while ((seen = Volatile.Read(ref _peak)) < now && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
        try { await next(context); }
        finally { Interlocked.Decrement(ref _inside); }
    }
}
