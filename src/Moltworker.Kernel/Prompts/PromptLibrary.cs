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
            _watcher.Changed += (_, _) => _cache.Clear();
            _watcher.Created += (_, _) => _cache.Clear();
            _watcher.Deleted += (_, _) => _cache.Clear();
            _watcher.Renamed += (_, _) => _cache.Clear();
        }
        else LogMissing(Directory);
    }

    public string Directory { get; }

    /// <summary>The prompt at a relative path without extension ("system", "agents/default"), or null.</summary>
    public PromptDocument? Get(string name) => _cache.GetOrAdd(name, Load);

    public AgentDefinition Agent(string name)
    {
        var doc = Get($"agents/{name}");
        var phases = doc?.GetList("phases") is { Count: > 0 } list ? list : ["work"];
        return new AgentDefinition(name, doc?.Body ?? "", phases, doc);
    }

    public string SystemPrompt(AgentDefinition agent)
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
            LogUnreadable(ex, path);
            return null;
        }
    }

    public void Dispose() => _watcher?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prompts folder {Directory} does not exist; built-in defaults are used")]
    private partial void LogMissing(string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Prompt {Path} could not be read; falling back to defaults")]
    private partial void LogUnreadable(Exception ex, string path);
}

/// <summary>An agent: its prompt and the phases a task with it runs.</summary>
public sealed record AgentDefinition(string Name, string Prompt, IReadOnlyList<string> Phases, PromptDocument? Document);
