namespace Moltworker.Docs.Tests.Configuration;

/// <summary>One row of the configuration reference.</summary>
/// <param name="Key">The full key, e.g. <c>Moltworker:Llm:Model</c> (dictionary keys as <c>&lt;name&gt;</c>).</param>
/// <param name="Type">The type as a reader knows it (string, integer, time span…).</param>
/// <param name="Default">The default, formatted for the table.</param>
/// <param name="Summary">The property's XML <c>&lt;summary&gt;</c>, or null when it has none.</param>
/// <param name="Declaring">The options class that declares it.</param>
public sealed record Setting(string Key, string Type, string Default, string? Summary, Type Declaring);
