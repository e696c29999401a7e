using Moltworker.Plugins.BuiltIn.Briefing;
using Moltworker.Plugins.BuiltIn.Browse;
using Moltworker.Plugins.BuiltIn.Calculator;
using Moltworker.Plugins.BuiltIn.Crypto;
using Moltworker.Plugins.BuiltIn.GitHub;
using Moltworker.Plugins.BuiltIn.News;
using Moltworker.Plugins.BuiltIn.Time;
using Moltworker.Plugins.BuiltIn.Weather;
using Moltworker.Plugins.BuiltIn.Web;
using Moltworker.Plugins.BuiltIn.WebSearch;

namespace Moltworker.Plugins.BuiltIn;

/// <summary>The plugin classes compiled into the host; the host registers each with <c>services.AddPlugin(type)</c>.
/// Their options bind from <c>Moltworker:Plugins:&lt;Name&gt;</c> (Web, WebSearch, Weather, Crypto, News, GitHub, Time, Calculator, Briefing);
/// browse_url's browser settings live in <c>Moltworker:Browse</c> (<see cref="BrowseServices.AddBrowse"/>).</summary>
public static class BuiltInPlugins
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(WebPlugin),
        typeof(WebSearchPlugin),
        typeof(BrowsePlugin),
        typeof(WeatherPlugin),
        typeof(CryptoPlugin),
        typeof(NewsPlugin),
        typeof(GitHubPlugin),
        typeof(TimePlugin),
        typeof(CalculatorPlugin),
        typeof(BriefingPlugin),
    ];
}
