using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Web;

/// <summary>The SSRF guard refused a host or address. Not transient: asking again gives the same answer.</summary>
public sealed class SsrfRefusedException(string message) : ToolException(message);
