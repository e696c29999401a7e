using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Prompts;

namespace Moltworker.Kernel.Agents;

/// <summary>
/// The agents of <c>prompts/agents/*.md</c>, read on first use and again after any prompt file changes. A file that
/// does not parse is left out, reported by name and line (in the log once per distinct error, in <c>/healthz</c> and by
/// <c>agents list</c>), and the other agents keep working. An agent with no file is the built-in fallback (one work
/// phase, the system prompt alone).
/// </summary>
public sealed partial class AgentRegistry
{
    private readonly PromptLibrary _prompts;
    private readonly ILogger<AgentRegistry> _logger;
    private readonly Lock _gate = new();
    private AgentSet? _current;
    private HashSet<string> _logged = [];

    public AgentRegistry(PromptLibrary prompts, ILogger<AgentRegistry> logger)
    {
        _prompts = prompts;
        _logger = logger;
        prompts.Changed += Invalidate;
    }

    /// <summary>Raised after the files changed (the next read builds a new set).</summary>
    public event Action? Changed;

    public string Folder => Path.Combine(_prompts.Directory, "agents");

    public AgentSet Current
    {
        get
        {
            var current = Volatile.Read(ref _current);
            if (current is not null) return current;
            lock (_gate) return _current ??= Load();
        }
    }

    /// <summary>The agent named <paramref name="name"/>, or the fallback when no file defines it (a file that does not
    /// parse, too: its error is reported).</summary>
    public AgentDefinition Get(string name) => Current.Find(name) ?? AgentDefinition.Fallback(name);

    private void Invalidate()
    {
        lock (_gate) _current = null;
        Changed?.Invoke();
    }

    private AgentSet Load()
    {
        if (!Directory.Exists(Folder)) return AgentSet.Empty;
        var agents = new Dictionary<string, AgentDefinition>(StringComparer.Ordinal);
        var errors = new List<AgentFileError>();
        foreach (var path in Directory.EnumerateFiles(Folder, "*.md").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            try { agents[name] = AgentFileParser.Parse(name, File.ReadAllText(path)); }
            catch (FrontMatterException ex) { errors.Add(new AgentFileError(name, path, ex.Line, ex.Reason)); }
            catch (IOException ex) { errors.Add(new AgentFileError(name, path, null, ex.Message)); }
        }
        foreach (var agent in agents.Values)
            foreach (var target in agent.DelegatesTo.Where(t => t != "*" && !agents.ContainsKey(t)))
                errors.Add(new AgentFileError(agent.Name, Path.Combine(Folder, agent.Name + ".md"), null, $"delegates_to names '{target}', which is not an agent"));
        var logged = new HashSet<string>();
        foreach (var error in errors)
        {
            var text = error.ToString();
            if (!_logged.Contains(text)) LogBadFile(error.Path, error.Line, error.Message);
            logged.Add(text);
        }
        _logged = logged; // a fixed file is forgotten: breaking it again is news
        return new AgentSet(agents, errors);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Agent file {Path} (line {Line}) is left out: {Error}")]
    private partial void LogBadFile(string path, int? line, string error);
}
