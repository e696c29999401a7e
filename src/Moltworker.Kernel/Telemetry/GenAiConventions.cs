using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Moltworker.Kernel.Telemetry;

/// <summary>
/// The kernel's one <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <see cref="SourceName"/>, and the
/// names of the OpenTelemetry GenAI semantic conventions it uses (spans <c>invoke_agent</c>, <c>chat</c>,
/// <c>execute_tool</c>; metrics <c>gen_ai.client.token.usage</c> in <c>{token}</c> and
/// <c>gen_ai.client.operation.duration</c> in seconds). With no listener (no exporter configured) nothing is recorded.
/// </summary>
public static class GenAiConventions
{
    public const string SourceName = "Moltworker.GenAI";

    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string AgentName = "gen_ai.agent.name";
    public const string ConversationId = "gen_ai.conversation.id";
    public const string RequestModel = "gen_ai.request.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string ToolName = "gen_ai.tool.name";
    public const string ToolCallId = "gen_ai.tool.call.id";
    public const string ToolType = "gen_ai.tool.type";
    public const string ErrorType = "error.type";

    public const string InvokeAgent = "invoke_agent";
    public const string Chat = "chat";
    public const string ExecuteTool = "execute_tool";

    public const string TokenUsageMetric = "gen_ai.client.token.usage";
    public const string OperationDurationMetric = "gen_ai.client.operation.duration";

    public static readonly ActivitySource Source = new(SourceName);
    public static readonly Meter Meter = new(SourceName);
}
