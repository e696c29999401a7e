namespace Moltworker.Docs.Tests.Configuration;

/// <summary>An options class and the configuration section it is bound to (<c>Moltworker:Llm</c>).</summary>
public sealed record BoundOptions(Type Type, string Section);
