namespace Moltworker.Kernel.Plugins;

/// <summary>
/// A plugin source that logs its own load failures when they happen (with what only it knows, e.g. the file), such as
/// the drop-in folder's loader. The <see cref="PluginCatalog"/> does not log those failures again; it still lists them.
/// </summary>
public interface ISelfReportingPluginSource : IPluginSource;
