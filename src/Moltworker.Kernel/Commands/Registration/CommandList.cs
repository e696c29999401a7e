namespace Moltworker.Kernel.Commands.Registration;

/// <summary>A command list in a platform's shape.</summary>
/// <param name="Commands">What is sent to the platform.</param>
/// <param name="Count">How many commands it holds (for the log).</param>
/// <param name="Text">A stable text of exactly what is sent (its JSON); its SHA-256 decides whether to send again.</param>
public sealed record CommandList<TCommands>(TCommands Commands, int Count, string Text);
