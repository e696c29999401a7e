using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>
/// Plugins dropped into <c>Moltworker:Plugins:Directory</c>: <c>X.dll</c> or <c>X/X.dll</c>, each in its own collectible
/// load context. <see cref="Rescan"/> compares the folder with what is loaded and loads, reloads or unloads; the
/// <see cref="PluginDirectoryWatcher"/> calls it when files change. A reload swaps the descriptors at once (calls in
/// flight finish on the old version, which is unloaded right after the swap). The loader logs a failure when it loads
/// the file, so the catalog does not log it again.
/// </summary>
public sealed partial class PluginDirectorySource : ISelfReportingPluginSource, IDisposable
{
    private readonly PluginAssemblyLoader _loader;
    private readonly ShadowCopies _shadows;
    private readonly ILogger<PluginDirectorySource> _logger;
    private readonly Lock _scanGate = new();
    private Dictionary<string, LoadedPlugin> _loaded = new(StringComparer.Ordinal);
    private readonly List<LoadedPlugin> _retired = [];
    private IReadOnlyList<PluginDescriptor>? _plugins;
    private bool _disposed;

    public PluginDirectorySource(IOptions<PluginsOptions> options, PluginAssemblyLoader loader, ShadowCopies shadows, ILogger<PluginDirectorySource> logger)
    {
        Directory = options.Value.Directory;
        _loader = loader;
        _shadows = shadows;
        _logger = logger;
    }

    /// <summary>The absolute drop-in folder.</summary>
    public string Directory { get; }

    /// <summary>After compiled-in plugins: a drop-in tool whose name is taken gets its plugin name as prefix.</summary>
    public int Order => 100;

    public IReadOnlyList<PluginDescriptor> Plugins
    {
        get
        {
            if (Volatile.Read(ref _plugins) is { } plugins) return plugins;
            Rescan();
            return _plugins ?? [];
        }
    }

    public event Action? Changed;

    /// <summary>Brings the loaded plugins in line with the folder. Returns true when anything changed.</summary>
    public bool Rescan()
    {
        List<LoadedPlugin> retired = [];
        lock (_scanGate)
        {
            if (_disposed) return false;
            var first = _plugins is null;
            IReadOnlyList<PluginCandidate> candidates;
            try { candidates = PluginCandidate.Scan(Directory); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogScanFailed(ex, Directory);
                return false;
            }

            var next = new Dictionary<string, LoadedPlugin>(StringComparer.Ordinal);
            var changed = false;
            foreach (var candidate in candidates)
            {
                if (_loaded.TryGetValue(candidate.Relative, out var current) && current.Candidate.Stamp == candidate.Stamp)
                {
                    next[candidate.Relative] = current;
                    continue;
                }
                if (current is not null) { retired.Add(current); LogReloading(candidate.Relative); }
                next[candidate.Relative] = _loader.Load(candidate);
                changed = true;
            }
            foreach (var (relative, gone) in _loaded)
            {
                if (next.ContainsKey(relative)) continue;
                retired.Add(gone);
                LogRemoved(relative);
                changed = true;
            }
            _loaded = next;
            Volatile.Write(ref _plugins, next.Values.SelectMany(l => l.Plugins).ToList());
            // The first scan publishes the initial state; nobody saw an earlier one, so there is nothing to signal.
            if (!changed || first) return changed;
        }
        Changed?.Invoke();
        foreach (var old in retired) old.Unload();
        lock (_scanGate)
        {
            _retired.AddRange(retired);
            _retired.RemoveAll(r => r.TryDeleteShadowCopy());
        }
        return true;
    }

    /// <summary>The files loaded now (for diagnostics and tests).</summary>
    public IReadOnlyList<LoadedPlugin> Loaded { get { lock (_scanGate) return _loaded.Values.ToList(); } }

    public void Dispose()
    {
        lock (_scanGate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var loaded in _loaded.Values) loaded.Unload();
            _loaded.Clear();
        }
        _shadows.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Drop-in plugin {File} changed; reloading")]
    private partial void LogReloading(string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drop-in plugin {File} was removed; unloading")]
    private partial void LogRemoved(string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The plugins folder {Directory} could not be read")]
    private partial void LogScanFailed(Exception ex, string directory);
}
