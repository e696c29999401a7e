namespace Moltworker.Plugins.BuiltIn.Http;

/// <summary>How to talk to one upstream: its name in messages ("weather service"), a timeout and a size cap.</summary>
internal sealed record UpstreamSettings(string Service, TimeSpan Timeout, long MaxBytes);
