using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Briefing;

/// <summary><c>Moltworker:Plugins:Briefing</c>: what goes into <c>/briefing</c>.</summary>
[PluginOptions]
public sealed class BriefingOptions
{
    /// <summary>Place for the weather; empty uses the weather plugin's default.</summary>
    public string? Location { get; set; }

    /// <summary>Comma-separated coins; empty uses the crypto plugin's defaults.</summary>
    public string? Coins { get; set; }

    public string? Currency { get; set; }

    public int NewsCount { get; set; } = 5;

    /// <summary>Tool names called (change them if a clash renamed a tool).</summary>
    public string WeatherTool { get; set; } = "get_weather";
    public string NewsTool { get; set; } = "get_top_news";
    public string CryptoTool { get; set; } = "get_crypto_price";
}
