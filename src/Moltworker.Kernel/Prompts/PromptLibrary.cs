using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Prompts;

/// <summary>
/// Prompts under the prompts folder: <c>system.md</c>, <c>agents/&lt;name&gt;.md</c>, <c>phases/&lt;name&gt;.md</c>.
/// Files are read on first use and re-read after they change (a file watcher drops the cached copy).
/// </summary>
public sealed partial class PromptLibrary : IDisposable
{
    private readonly ConcurrentDictionary<string, PromptDocument?> _cache = new(StringComparer.Ordinal);
    private readonly FileSystemWatcher? _watcher;
    private readonly ILogger<PromptLibrary> _logger;

    public PromptLibrary(IOptions<PromptOptions> options, ILogger<PromptLibrary> logger)
    {
        _logger = logger;
        Directory = options.Value.Directory;
        if (System.IO.Directory.Exists(Directory))
        {
            _watcher = new FileSystemWatcher(Directory, "*.md") { IncludeSubdirectories = true, EnableRaisingEvents = true };
            _watcher.Changed += (_, _) => Invalidate();
            _watcher.Created += (_, _) => Invalidate();
            _watcher.Deleted += (_, _) => Invalidate();
            _watcher.Renamed += (_, _) => Invalidate();
        }
        else LogMissing(Directory);
    }

    public string Directory { get; }

    /// <summary>Raised after a prompt file appeared, changed or went (the cached copies are dropped first).</summary>
    public event Action? Changed;

    /// <summary>The prompt at a relative path without extension ("system", "agents/default"), or null.</summary>
    public PromptDocument? Get(string name) => _cache.GetOrAdd(name, Load);

    public string SystemPrompt(Agents.AgentDefinition agent)
    {
        var system = Get("system")?.Body ?? "You are Moltworker, a helpful assistant. Use tools when they help; answer concisely.";
        return agent.Prompt.Length == 0 ? system : $"{system}\n\n{agent.Prompt}";
    }

    private PromptDocument? Load(string name)
    {
        var path = Path.Combine(Directory, name.Replace('/', Path.DirectorySeparatorChar) + ".md");
        if (!File.Exists(path)) return null;
        try { return FrontMatterParser.Parse(name, File.ReadAllText(path)); }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            // The message names the file and line; a stack trace would say nothing more about a typo in a prompt.
            LogUnreadable(path, ex.Message);
            return null;
        }
    }

    private void Invalidate()
    {
        _cache.Clear();
        Changed?.Invoke();
    }

    public void Dispose() => _watcher?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prompts folder {Directory} does not exist; built-in defaults are used")]
    private partial void LogMissing(string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Prompt {Path} could not be read; falling back to defaults: {Error}")]
    private partial void LogUnreadable(string path, string error);
}
