namespace Moltworker.Kernel.Filters;

/// <summary>Composes ordered middleware: the first filter is the outermost.</summary>
public static class FilterPipeline
{
    public static Func<T, Task> Build<TFilter, T>(IEnumerable<TFilter> filters, Func<TFilter, T, Func<T, Task>, Task> invoke, Func<T, Task> terminal)
    {
        var next = terminal;
        foreach (var filter in filters.Reverse())
        {
            var inner = next;
            next = ctx => invoke(filter, ctx, inner);
        }
        return next;
    }
}
