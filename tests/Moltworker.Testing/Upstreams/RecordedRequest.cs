namespace Moltworker.Testing.Upstreams;

/// <summary>A request an in-test upstream received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);
