namespace Moltworker.Plugins.BuiltIn.News;

/// <summary>One news item as shown to the model.</summary>
internal sealed record Headline(string Title, string? Url, string? Detail);
