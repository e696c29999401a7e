using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>
/// Loads the drop-in folder at start and watches it: any file event (new, changed, deleted, renamed) at the top
/// level or one folder deep schedules a rescan after <see cref="PluginsOptions.ReloadDelay"/> of quiet, so a copy
/// in progress is loaded once it is complete. Nothing here can stop the host: errors are logged.
/// </summary>
public sealed partial class PluginDirectoryWatcher(
    PluginDirectorySource source, IOptions<PluginsOptions> options, TimeProvider time, ILogger<PluginDirectoryWatcher> logger)
    : IHostedService, IDisposable
{
    private FileSystemWatcher? _watcher;
    private ITimer? _debounce;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            System.IO.Directory.CreateDirectory(source.Directory);
            _ = source.Plugins; // the first scan
            if (!options.Value.Watch) return Task.CompletedTask;
            _debounce = time.CreateTimer(_ => RescanSafely(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _watcher = new FileSystemWatcher(source.Directory) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
            _watcher.Created += OnEvent;
            _watcher.Changed += OnEvent;
            _watcher.Deleted += OnEvent;
            _watcher.Renamed += OnEvent;
            _watcher.Error += (_, e) => { LogWatchError(e.GetException(), source.Directory); Schedule(); };
            _watcher.EnableRaisingEvents = true;
            LogWatching(source.Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogWatchError(ex, source.Directory);
        }
        return Task.CompletedTask;
    }

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        // Deeper than <dir>/<name>/<file> is a plugin's own subfolder (runtimes/, a project's bin/obj): not ours.
        var relative = Path.GetRelativePath(source.Directory, e.FullPath);
        if (relative.Count(c => c == Path.DirectorySeparatorChar) > 1) return;
        Schedule();
    }

    private void Schedule() => _debounce?.Change(options.Value.ReloadDelay, Timeout.InfiniteTimeSpan);

    private void RescanSafely()
    {
        try { source.Rescan(); }
        catch (Exception ex) { LogRescanFailed(ex, source.Directory); }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        _debounce?.Dispose();
        _debounce = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching {Directory} for drop-in plugins")]
    private partial void LogWatching(string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the plugins folder {Directory} failed; rescanning")]
    private partial void LogWatchError(Exception? ex, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rescanning the plugins folder {Directory} failed")]
    private partial void LogRescanFailed(Exception ex, string directory);
}
