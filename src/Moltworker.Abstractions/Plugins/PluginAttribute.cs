namespace Moltworker.Abstractions;

/// <summary>Names a plugin class. Without it, the class name minus a trailing "Plugin" is the name.
/// The name selects the configuration section <c>Moltworker:Plugins:&lt;Name&gt;</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PluginAttribute(string name) : Attribute
{
    public string Name { get; } = name;
    public string? Description { get; set; }
}
