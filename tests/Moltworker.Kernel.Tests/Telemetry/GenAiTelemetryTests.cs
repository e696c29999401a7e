using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Telemetry;
using Moltworker.Kernel.Tests.Filters.Support;

namespace Moltworker.Kernel.Tests.Telemetry;

/// <summary>Issue 13, OpenTelemetry: a scripted one-tool turn yields an <c>invoke_agent</c> span with two <c>chat</c> spans
/// and one <c>execute_tool</c> span under it, carrying the GenAI attributes, and the token-usage and duration metrics.</summary>
public sealed class GenAiTelemetryTests
{
    private const long InputTokens = 4242;
    private const long OutputTokens = 17;

    [Fact]
    public async Task A_one_tool_turn_yields_invoke_agent_chat_and_execute_tool_spans_and_the_metrics()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == GenAiConventions.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == GenAiConventions.SourceName) l.EnableMeasurementEvents(instrument); };
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        meters.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        meters.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        meters.Start();

        using var h = new KernelHarness(configure: services => services.AddGenAiTelemetry());
        h.Probe.Gate.SetResult();
        h.Model.Responder = (messages, _, _) => Task.FromResult(WithUsage(ScriptedChatClient.ToolRounds(messages) == 0
            ? ScriptedChatClient.Calls_(("call-otel-1", "gated_read", new { name = "a" }))
            : ScriptedChatClient.Answer("done")));
        var reply = await h.AskAsync("look once");
        Assert.Equal("done", reply.Text);

        var agent = Assert.Single(spans, s => s.OperationName.StartsWith(GenAiConventions.InvokeAgent, StringComparison.Ordinal)
                                              && (string?)s.GetTagItem(GenAiConventions.ConversationId) == reply.TaskId);
        Assert.Equal(GenAiConventions.InvokeAgent, agent.GetTagItem(GenAiConventions.OperationName));
        Assert.Equal("default", agent.GetTagItem(GenAiConventions.AgentName));
        Assert.Equal(KernelHarness.ParallelModel, agent.GetTagItem(GenAiConventions.RequestModel));
        Assert.Equal(2 * InputTokens, Convert.ToInt64(agent.GetTagItem(GenAiConventions.InputTokens)));
        Assert.Equal(2 * OutputTokens, Convert.ToInt64(agent.GetTagItem(GenAiConventions.OutputTokens)));

        var children = spans.Where(s => s.TraceId == agent.TraceId && s.ParentSpanId == agent.SpanId).ToList();
        var chats = children.Where(s => (string?)s.GetTagItem(GenAiConventions.OperationName) == GenAiConventions.Chat).ToList();
        Assert.Equal(2, chats.Count);
        Assert.All(chats, c =>
        {
            Assert.Equal(KernelHarness.ParallelModel, c.GetTagItem(GenAiConventions.RequestModel));
            Assert.Equal(InputTokens, Convert.ToInt64(c.GetTagItem(GenAiConventions.InputTokens)));
            Assert.Equal(OutputTokens, Convert.ToInt64(c.GetTagItem(GenAiConventions.OutputTokens)));
        });
        var tool = Assert.Single(children, s => (string?)s.GetTagItem(GenAiConventions.OperationName) == GenAiConventions.ExecuteTool);
        Assert.Equal("gated_read", tool.GetTagItem(GenAiConventions.ToolName));
        Assert.Equal("call-otel-1", tool.GetTagItem(GenAiConventions.ToolCallId));
        Assert.Equal("execute_tool gated_read", tool.DisplayName);
        Assert.Equal(ActivityStatusCode.Unset, tool.Status);
        Assert.True(tool.StartTimeUtc >= agent.StartTimeUtc && tool.StartTimeUtc + tool.Duration <= agent.StartTimeUtc + agent.Duration);

        var usage = measurements.Where(m => m.Name == GenAiConventions.TokenUsageMetric && (string?)m.Tags.GetValueOrDefault("gen_ai.request.model") == KernelHarness.ParallelModel).ToList();
        Assert.Contains(usage, m => m.Value == InputTokens && (string?)m.Tags["gen_ai.token.type"] == "input");
        Assert.Contains(usage, m => m.Value == OutputTokens && (string?)m.Tags["gen_ai.token.type"] == "output");
        Assert.Contains(measurements, m => m.Name == GenAiConventions.OperationDurationMetric && m.Value >= 0);
    }

    [Fact]
    public async Task With_no_listener_the_turn_runs_and_records_nothing()
    {
        using var h = new KernelHarness(configure: services => services.AddGenAiTelemetry());
        h.Probe.Gate.SetResult();
        h.Model.Responder = (messages, _, _) => Task.FromResult(ScriptedChatClient.ToolRounds(messages) == 0
            ? ScriptedChatClient.Calls_(("c1", "gated_read", new { name = "a" }))
            : ScriptedChatClient.Answer("done"));
        Assert.Equal("done", (await h.AskAsync("look")).Text);
        Assert.Null(Activity.Current);
    }

    private static ChatResponse WithUsage(ChatResponse response)
    {
        response.Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens };
        response.ModelId = KernelHarness.ParallelModel;
        return response;
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (var tag in tags) map[tag.Key] = tag.Value;
        return map;
    }
}
