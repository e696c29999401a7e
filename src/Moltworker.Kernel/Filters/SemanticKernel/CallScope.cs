using Microsoft.SemanticKernel;

namespace Moltworker.Kernel.Filters.SemanticKernel;

/// <summary>
/// The call the agent loop is dispatching on this async flow, so that the hosted kernel's filters can work on its typed
/// state (<see cref="CallContext"/>) rather than on SK's context alone. A kernel invocation belongs to the call only when
/// it has the call's own <see cref="KernelArguments"/>: a function that invokes another one with other arguments is a
/// nested call, not this one. The value is set from async methods, so it flows to everything they await and reverts
/// when they return: a filter that hands an attempt its own copy of the call (new token, new attempt number) sets it
/// for the filters and the function inside only.
/// </summary>
public static class CallScope
{
    private static readonly AsyncLocal<CallContext?> Current = new();
    private static readonly AsyncLocal<KernelArguments?> Forwarded = new();

    /// <summary>The call when <paramref name="context"/> is its dispatch (not a nested call, not the invocation of an SK
    /// plugin's own function that the dispatch forwards to).</summary>
    public static CallContext? Of(FunctionInvocationContext context) =>
        ReferenceEquals(Forwarded.Value, context.Arguments) ? null : Of(context.Arguments);

    /// <summary>The call whose arguments these are, if one is being dispatched on this flow.</summary>
    public static CallContext? Of(KernelArguments arguments) =>
        Current.Value is { } call && ReferenceEquals(call.KernelArguments, arguments) ? call : null;

    /// <summary>Makes <paramref name="call"/> the current call (or attempt) for the rest of the calling async method.</summary>
    public static void Enter(CallContext call) => Current.Value = call;

    /// <summary>The dispatch is about to invoke the SK function behind it with <paramref name="arguments"/>: that
    /// invocation is not the call's dispatch again.</summary>
    public static void Forward(KernelArguments arguments) => Forwarded.Value = arguments;
}
