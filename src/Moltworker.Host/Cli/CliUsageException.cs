namespace Moltworker.Host.Cli;

/// <summary>The command line cannot be understood; the message says why (printed as <c>error: …</c>, exit code 1).</summary>
public sealed class CliUsageException(string message) : Exception(message);
