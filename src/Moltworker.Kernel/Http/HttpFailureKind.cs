namespace Moltworker.Kernel.Http;

/// <summary>How an HTTP request failed.</summary>
public enum HttpFailureKind
{
    /// <summary>The server answered with an error status.</summary>
    Status,

    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>The server could not be reached (connection refused, DNS, reset, TLS).</summary>
    Unreachable,
}
