using Moltworker.Abstractions;

namespace Moltworker.Plugins.Sample;

/// <summary>
/// The plugin's settings, bound from <c>Moltworker:Plugins:Sample</c> (the plugin's name), e.g. in appsettings.json
/// <c>"Moltworker": { "Plugins": { "Sample": { "Greeting": "Howdy" } } }</c> or the environment variable
/// <c>Moltworker__Plugins__Sample__Greeting=Howdy</c>.
/// </summary>
[PluginOptions]
public sealed class SampleOptions
{
    /// <summary>The word the greet tool starts with.</summary>
    public string Greeting { get; set; } = "Hello";

    /// <summary>Longest text the word counter accepts.</summary>
    public int MaxTextLength { get; set; } = 100_000;
}
