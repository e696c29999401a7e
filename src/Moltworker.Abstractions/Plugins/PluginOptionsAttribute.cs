namespace Moltworker.Abstractions;

/// <summary>
/// Marks a plain options class that a plugin constructor takes. The host binds it from the plugin's
/// configuration section <c>Moltworker:Plugins:&lt;Name&gt;</c> (environment: <c>Moltworker__Plugins__Name__Key</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PluginOptionsAttribute : Attribute;
