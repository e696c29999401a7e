using System.Collections.Concurrent;
using System.Diagnostics;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Telemetry;

/// <summary>
/// The <c>invoke_agent</c> span of each turn phase (a turn filter, so the span is the ambient parent of the turn's
/// <c>chat</c> spans and tool calls) and the <c>execute_tool</c> span of each tool call, from the call events the kernel
/// already publishes on the <see cref="IEventBus"/> (<see cref="CallStarted"/>, <see cref="CallFinished"/>: one place
/// sees every call, whatever filter answers it). Nothing happens while no one listens to <see cref="GenAiConventions.Source"/>.
/// Spans start through <see cref="GenAiSpans"/>, which keeps them out from under an unrecorded request activity.
/// </summary>
public sealed class GenAiTurnTelemetry : ITurnFilter, IDisposable
{
    private readonly ConcurrentDictionary<(string TaskId, string CallId), Activity> _calls = new();
    private readonly IDisposable _subscription;

    public GenAiTurnTelemetry(IEventBus events) => _subscription = events.Subscribe(OnEvent);

    public async Task OnTurnAsync(TurnContext context, Func<TurnContext, Task> next)
    {
        using var span = GenAiSpans.Start($"{GenAiConventions.InvokeAgent} {context.Agent}");
        if (span is null)
        {
            await next(context);
            return;
        }
        span.SetTag(GenAiConventions.OperationName, GenAiConventions.InvokeAgent);
        span.SetTag(GenAiConventions.AgentName, context.Agent);
        span.SetTag(GenAiConventions.ConversationId, context.TaskId);
        span.SetTag(GenAiConventions.RequestModel, context.Model.Id);
        span.SetTag("moltworker.phase", context.Phase);
        var input = context.Usage.InputTokenCount ?? 0;
        var output = context.Usage.OutputTokenCount ?? 0;
        try { await next(context); }
        catch (Exception ex)
        {
            span.SetStatus(ActivityStatusCode.Error, ex.Message);
            span.SetTag(GenAiConventions.ErrorType, ex.GetType().FullName);
            throw;
        }
        finally
        {
            span.SetTag(GenAiConventions.InputTokens, (context.Usage.InputTokenCount ?? 0) - input);
            span.SetTag(GenAiConventions.OutputTokens, (context.Usage.OutputTokenCount ?? 0) - output);
        }
    }

    private void OnEvent(KernelEvent e)
    {
        switch (e)
        {
            case CallStarted started when GenAiConventions.Source.HasListeners():
                // Started without becoming the ambient activity: the publisher's flow keeps its own.
                var ambient = Activity.Current;
                var span = GenAiSpans.Start($"{GenAiConventions.ExecuteTool} {started.Tool}");
                Activity.Current = ambient;
                if (span is null) return;
                span.SetTag(GenAiConventions.OperationName, GenAiConventions.ExecuteTool);
                span.SetTag(GenAiConventions.ToolName, started.Tool);
                span.SetTag(GenAiConventions.ToolCallId, started.CallId);
                span.SetTag(GenAiConventions.ToolType, "function");
                span.SetTag("moltworker.batch.id", started.BatchId);
                _calls[(started.TaskId, started.CallId)] = span;
                break;
            case CallFinished finished when _calls.TryRemove((finished.TaskId, finished.CallId), out var call):
                call.SetTag("moltworker.tool.status", finished.Status.ToString().ToLowerInvariant());
                if (finished.Status != ToolStatus.Ok)
                {
                    call.SetStatus(ActivityStatusCode.Error, finished.Status.ToString());
                    call.SetTag(GenAiConventions.ErrorType, finished.Status.ToString().ToLowerInvariant());
                }
                var current = Activity.Current;
                call.Stop();
                Activity.Current = current;
                break;
        }
    }

    public void Dispose() => _subscription.Dispose();
}
