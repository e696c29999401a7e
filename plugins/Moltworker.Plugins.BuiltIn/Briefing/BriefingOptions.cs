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

    /// <summary>Currency of the crypto prices; the crypto plugin's default when empty.</summary>
    public string? Currency { get; set; }

    /// <summary>Headlines in the briefing.</summary>
    public int NewsCount { get; set; } = 5;

    /// <summary>Tool names called (change them if a clash renamed a tool).</summary>
    public string WeatherTool { get; set; } = "get_weather";
    /// <summary>The tool called for the news (change it if a name clash renamed the tool).</summary>
    public string NewsTool { get; set; } = "get_top_news";
    /// <summary>The tool called for the crypto prices (change it if a name clash renamed the tool).</summary>
    public string CryptoTool { get; set; } = "get_crypto_price";
}
