namespace Moltworker.TestPlugins.Dependent.Helper;

public static class Shouting
{
    public static string Loud(string text) => text.Trim().ToUpperInvariant() + "!";
}
