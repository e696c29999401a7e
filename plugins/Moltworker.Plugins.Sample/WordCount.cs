namespace Moltworker.Plugins.Sample;

/// <summary>A tool may return any object: the model receives it as JSON.</summary>
public sealed record WordCount(int Words, int Characters, int Lines);
