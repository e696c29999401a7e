namespace Moltworker.Plugins.BuiltIn.Weather;

/// <summary>A geocoded place.</summary>
internal sealed record Place(string Name, double Latitude, double Longitude);
