using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Plugins;

/// <summary>
/// The tools on offer now, merged from every <see cref="IPluginSource"/>. Rebuilt as an immutable snapshot when a
/// source changes, so calls in flight keep the function (and plugin version) they started with. When two plugins
/// offer the same tool name, the later one's tool gets its plugin name as a prefix. A failed plugin is logged once per
/// error, not on every rebuild (again when its error changes, or when it fails again after loading).
/// </summary>
public sealed partial class PluginCatalog
{
    private readonly IReadOnlyList<IPluginSource> _sources;
    private readonly ILogger<PluginCatalog> _logger;
    private readonly Lock _gate = new();
    private ToolSnapshot? _snapshot;
    private Dictionary<(string Name, string Origin), string> _loggedFailures = [];
    private HashSet<(string Plugin, string Tool, bool Dropped)> _loggedClashes = [];

    public PluginCatalog(IEnumerable<IPluginSource> sources, ILogger<PluginCatalog> logger)
    {
        _sources = sources.OrderBy(s => s.Order).ToList();
        _logger = logger;
        foreach (var source in _sources) source.Changed += Invalidate;
    }

    public event Action? Changed;

    public ToolSnapshot Snapshot
    {
        get
        {
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot is not null) return snapshot;
            lock (_gate) return _snapshot ??= Build();
        }
    }

    public AIFunction? Find(string name) => Snapshot.Tools.GetValueOrDefault(name);

    /// <summary>A snapshot is built (reading <see cref="Snapshot"/> returns at once).</summary>
    public bool IsBuilt => Volatile.Read(ref _snapshot) is not null;

    private void Invalidate()
    {
        lock (_gate) _snapshot = null;
        Changed?.Invoke();
    }

    private ToolSnapshot Build()
    {
        var tools = new Dictionary<string, AIFunction>(StringComparer.Ordinal);
        var plugins = new List<PluginDescriptor>();
        var names = new Dictionary<string, PluginDescriptor>(StringComparer.OrdinalIgnoreCase);
        var failures = new Dictionary<(string Name, string Origin), string>();
        var clashes = new HashSet<(string Plugin, string Tool, bool Dropped)>();
        foreach (var (source, candidate) in _sources.SelectMany(s => s.Plugins.Select(p => (Source: s, Plugin: p))))
        {
            var plugin = candidate;
            if (!plugin.Failed && names.TryGetValue(plugin.Name, out var owner))
                plugin = PluginDescriptor.Failure(plugin.Name, plugin.Origin, $"name clash: a plugin named {plugin.Name} is already loaded from {owner.Origin}");
            else if (!plugin.Failed) names[plugin.Name] = plugin;
            if (plugin.Failed)
            {
                // The source logged its own failures already; the catalog logs the rest (and its name clashes) once per error.
                var key = (plugin.Name, plugin.Origin);
                if (!(candidate.Failed && source is ISelfReportingPluginSource))
                {
                    if (!_loggedFailures.TryGetValue(key, out var logged) || logged != plugin.Error) LogPluginFailed(plugin.Name, plugin.Origin, plugin.Error!);
                    failures[key] = plugin.Error!;
                }
                plugins.Add(plugin);
                continue;
            }
            var exposed = new List<AIFunction>();
            foreach (var tool in plugin.Tools)
            {
                var function = tool;
                if (tools.ContainsKey(function.Name))
                {
                    var prefixed = $"{ToolNames.Normalize(plugin.Name)}_{function.Name}";
                    var dropped = tools.ContainsKey(prefixed);
                    // Logged once while the clash lasts, like failures: every rebuild (a plugin file event) meets it again.
                    if (clashes.Add((plugin.Name, function.Name, dropped)) && !_loggedClashes.Contains((plugin.Name, function.Name, dropped)))
                    {
                        if (dropped) LogDropped(prefixed, plugin.Name);
                        else LogClash(function.Name, plugin.Name, prefixed);
                    }
                    if (dropped) continue;
                    function = new RenamedFunction(function, prefixed);
                }
                tools[function.Name] = function;
                exposed.Add(function);
            }
            plugins.Add(plugin with { Tools = exposed });
        }
        _loggedFailures = failures; // a plugin that loads (or goes away) is forgotten: failing again is news
        _loggedClashes = clashes;
        return new ToolSnapshot(tools, plugins);
    }

    private sealed class RenamedFunction(AIFunction inner, string name) : DelegatingAIFunction(inner)
    {
        public override string Name => name;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Plugin {Plugin} from {Origin} failed to load: {Error}")]
    private partial void LogPluginFailed(string plugin, string origin, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool name {Tool} is taken; plugin {Plugin} offers it as {Prefixed}")]
    private partial void LogClash(string tool, string plugin, string prefixed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} of plugin {Plugin} clashes even with its prefix and is not offered")]
    private partial void LogDropped(string tool, string plugin);
}

/// <summary>An immutable view of the catalog.</summary>
public sealed record ToolSnapshot(IReadOnlyDictionary<string, AIFunction> Tools, IReadOnlyList<PluginDescriptor> Plugins)
{
    /// <summary>The SK function-invocation filters exported by loaded drop-in plugins, in load order.</summary>
    public IReadOnlyList<Microsoft.SemanticKernel.IFunctionInvocationFilter> FunctionFilters { get; } =
        Plugins.Where(p => !p.Failed).SelectMany(p => p.Filters).OfType<Microsoft.SemanticKernel.IFunctionInvocationFilter>().ToList();

    /// <summary>The SK auto-function-invocation filters exported by loaded drop-in plugins, in load order.</summary>
    public IReadOnlyList<Microsoft.SemanticKernel.IAutoFunctionInvocationFilter> AutoFunctionFilters { get; } =
        Plugins.Where(p => !p.Failed).SelectMany(p => p.Filters).OfType<Microsoft.SemanticKernel.IAutoFunctionInvocationFilter>().ToList();

    public IReadOnlyList<PluginDescriptor> Loaded => Plugins.Where(p => !p.Failed).ToList();
    public IReadOnlyList<PluginDescriptor> FailedPlugins => Plugins.Where(p => p.Failed).ToList();
}

public static class ToolNames
{
    /// <summary>Lower snake_case with only [a-z0-9_].</summary>
    public static string Normalize(string name)
    {
        var chars = name.Select((c, i) => char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]) ? "_" + char.ToLowerInvariant(c) : char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c).ToString() : "_");
        return string.Concat(chars).Trim('_');
    }
}
