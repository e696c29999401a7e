using Moltworker.Plugins.BuiltIn.Web;

namespace Moltworker.Plugins.BuiltIn;

/// <summary>The plugin classes compiled into the host; the host registers each with <c>services.AddPlugin(type)</c>.</summary>
public static class BuiltInPlugins
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(WebPlugin),
    ];
}
