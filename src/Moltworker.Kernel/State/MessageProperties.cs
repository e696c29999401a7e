namespace Moltworker.Kernel.State;

/// <summary>Keys in <c>ChatMessage.AdditionalProperties</c> that the conversation store keeps in columns.</summary>
public static class MessageProperties
{
    public const string InputTokens = "moltworker.inputTokens";
    public const string OutputTokens = "moltworker.outputTokens";
}
