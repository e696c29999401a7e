using System.ComponentModel;
using System.Globalization;
using Microsoft.SemanticKernel;

namespace Moltworker.TestPlugins.SkOnly;

/// <summary>A plain SK plugin: no Moltworker types, no safety declaration (so the host treats it as side-effecting).</summary>
public sealed class UnitsPlugin
{
#if SK_EDITION_2
    private const string Edition = "edition 2";
#else
    private const string Edition = "edition 1";
#endif

    [KernelFunction("km_to_miles")]
    [Description("Converts kilometres to miles.")]
    public string KilometresToMiles([Description("Distance in kilometres")] double km) =>
        string.Create(CultureInfo.InvariantCulture, $"{km} km = {km * 0.621371:0.###} miles ({Edition})");
}
