namespace Moltworker.Abstractions;

/// <summary>
/// Implemented by a plugin class whose safety metadata depends on its options (for example "writes need approval"
/// as a setting rather than a constant). The plugin catalog calls it once per tool after reading <c>[Tool]</c>;
/// return <paramref name="declared"/> unchanged for tools that need no adjustment.
/// </summary>
public interface IToolMetadataOverrides
{
    ToolMetadata Override(string tool, ToolMetadata declared);
}
