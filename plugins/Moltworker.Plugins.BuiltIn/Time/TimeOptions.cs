using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Time;

/// <summary><c>Moltworker:Plugins:Time</c></summary>
[PluginOptions]
public sealed class TimeOptions
{
    /// <summary>IANA time zone used when the call names none.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";
}
