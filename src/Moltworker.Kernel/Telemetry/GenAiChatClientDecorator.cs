using Microsoft.Extensions.AI;
using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Telemetry;

/// <summary>
/// The <c>chat</c> span of each model call, and the metrics <c>gen_ai.client.token.usage</c> and
/// <c>gen_ai.client.operation.duration</c>, from Microsoft.Extensions.AI's own <see cref="OpenTelemetryChatClient"/> on
/// <see cref="GenAiConventions.SourceName"/>. It already follows the GenAI conventions (operation name, request and
/// response model, token usage, provider, error type) and sees every request the agent loop makes, streamed or not,
/// so writing a second one would only duplicate it. Message contents are not recorded (sensitive data stays off).
/// </summary>
public sealed class GenAiChatClientDecorator : IChatClientDecorator
{
    public IChatClient Decorate(IChatClient inner) => new OpenTelemetryChatClient(inner, sourceName: GenAiConventions.SourceName);
}
