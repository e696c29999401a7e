using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Filters.SemanticKernel;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>
/// Answers a call from the tool-result cache when its tool opted in (<see cref="ToolCacheRules"/>) and the same call
/// (<see cref="ToolCacheKey"/>) succeeded within the time-to-live; otherwise lets the call through and keeps its result
/// if it succeeded. Storage is a <see cref="HybridCache"/>: memory first, then the database (<see cref="IToolCacheStore"/>),
/// so results outlive a restart. Freshness is judged on the injected clock whichever level answers.
/// <para>
/// It sits inside the transaction log and just outside the timeout (<see cref="FilterOrder.Function"/>): a hit still
/// gets its call events, its journal result and its transaction-log row, each flagged <c>cached</c>, but nothing inside
/// runs: no timeout, no user filter, no tool. The journal records a hit's intent and result like any call's, so a
/// resumed task replays the very text the model was given; only tools without side effects are ever served, so that
/// intent is never an in-doubt side effect. A hit is <see cref="ToolStatus.Ok"/>, so the retry filter outside never
/// repeats it; a failed attempt is never stored, and a retried call is stored by the attempt that succeeds.
/// </para>
/// <para>
/// The call itself runs in the caller's flow, never inside <see cref="HybridCache.GetOrCreateAsync{TState, T}(string, TState, Func{TState, CancellationToken, ValueTask{T}}, HybridCacheEntryOptions?, IEnumerable{string}?, CancellationToken)"/>'s
/// factory: that factory may run on a pool thread without the call's async-local scope, which the filters inside need.
/// So the cache is read with <see cref="HybridCacheEntryFlags.DisableUnderlyingData"/> and written with
/// <see cref="HybridCache.SetAsync{T}"/>; identical calls in flight at once each run (no coalescing).
/// </para>
/// </summary>
public sealed class ToolCacheFilter([FromKeyedServices(ToolCacheServices.Key)] HybridCache cache, ToolCacheRules rules, TimeProvider time)
    : CallFunctionFilter
{
    private static readonly HybridCacheEntryOptions Lookup = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData };

    protected override Task OnCallAsync(CallContext context, Func<CallContext, Task> next) => ServeAsync(context, next);

    /// <summary>The filter's work on one call: answers it from the cache, or runs <paramref name="next"/> and keeps a
    /// successful result. Public so that the <c>context</c> benchmark can time a hit without a kernel around it.</summary>
    public async Task ServeAsync(CallContext context, Func<CallContext, Task> next)
    {
        if (context.Function is null || rules.For(context.Call.Name, context.Metadata) is not { } rule)
        {
            await next(context);
            return;
        }
        var user = rule.PerUser ? context.Tool.UserId : null;
        if (rule.PerUser && string.IsNullOrEmpty(user))
        {
            await next(context);   // per-user results, but nobody to keep them for
            return;
        }
        var key = ToolCacheKey.Of(context.Call.Name, context.Arguments, user);

        if (!Bypassed(context))
        {
            var cached = await cache.GetOrCreateAsync<int, CachedToolResult?>(key, 0, static (_, _) => default, Lookup,
                cancellationToken: context.CancellationToken);
            if (cached is not null)
            {
                if (cached.IsFresh(time.GetUtcNow()))
                {
                    context.Result = cached.ToResult();
                    return;
                }
                await cache.RemoveAsync(key, CancellationToken.None);   // stale on our clock: a level kept it longer
            }
        }

        await next(context);
        if (context.Result is { Status: ToolStatus.Ok, Images.Count: 0, Cached: false } result)
            await cache.SetAsync(key, new CachedToolResult(result.Content, time.GetUtcNow() + rule.Ttl),
                new HybridCacheEntryOptions { Expiration = rule.Ttl, LocalCacheExpiration = rule.Ttl }, cancellationToken: CancellationToken.None);
    }

    /// <summary>The call belongs to a turn that said <c>/nocache</c>: its own, a delegating parent's, or the turn of the
    /// tool that composed its batch.</summary>
    private static bool Bypassed(CallContext context) => Bypasses(context.Batch?.Turn) || Bypasses(AgentThread.CurrentTurn);

    private static bool Bypasses(TurnContext? turn)
    {
        for (var t = turn; t is not null; t = t.Thread?.Parent)
            if (t.BypassToolCache) return true;
        return false;
    }
}
