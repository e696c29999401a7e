using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>
/// Loads one drop-in plugin: shadow copy, its own <see cref="PluginLoadContext"/>, every public class with
/// <c>[Tool]</c> methods through the <see cref="PluginFactory"/>. Whatever goes wrong (not a .NET assembly, a missing
/// dependency, a constructor that throws, no plugin class) becomes a failed <see cref="PluginDescriptor"/>.
/// </summary>
public sealed partial class PluginAssemblyLoader(PluginFactory factory, ShadowCopies shadows, ILogger<PluginAssemblyLoader> logger)
{
    public LoadedPlugin Load(PluginCandidate candidate)
    {
        string? copy = null;
        PluginLoadContext? context = null;
        try
        {
            copy = shadows.Copy(candidate);
            AssemblyName.GetAssemblyName(copy); // throws BadImageFormatException for anything but a .NET assembly
            context = new PluginLoadContext(copy, candidate.Name);
            var assembly = context.LoadFromAssemblyPath(copy);
            var exported = assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
            var types = exported.Where(PluginFactory.IsPlugin).ToList();
            var filterTypes = exported.Where(PluginFactory.IsFilter).ToList();
            if (types.Count == 0 && filterTypes.Count == 0)
                throw new PluginLoadException("no public class with [KernelFunction] or [Tool] methods, and no SK filter");
            var plugins = types.Select(t => factory.Create(t, candidate.Origin)).ToList();
            if (filterTypes.Count > 0)
            {
                // The filters ride on the file's first plugin (or on a tool-less one named after the file).
                var filters = filterTypes.Select(factory.CreateFilter).ToList();
                var index = plugins.FindIndex(p => !p.Failed);
                if (index < 0) plugins.Add(new PluginDescriptor(candidate.Name, candidate.Origin, []) { Version = assembly.GetName().Version?.ToString(), Filters = filters });
                else plugins[index] = plugins[index] with { Filters = filters };
            }
            foreach (var p in plugins)
                if (p.Failed) LogFailed(candidate.Relative, p.Error!);
                else LogLoaded(p.Name, candidate.Relative, p.Version ?? "?", p.Tools.Count);
            if (plugins.All(p => p.Failed)) return Discard(candidate, plugins, context, copy);
            return new LoadedPlugin(candidate, plugins, context, copy);
        }
        catch (Exception ex)
        {
            var error = Describe(ex);
            LogFailed(candidate.Relative, error);
            return Discard(candidate, [PluginDescriptor.Failure(candidate.Name, candidate.Origin, error)], context, copy);
        }
    }

    private static LoadedPlugin Discard(PluginCandidate candidate, IReadOnlyList<PluginDescriptor> plugins, PluginLoadContext? context, string? copy)
    {
        var loaded = new LoadedPlugin(candidate, plugins, context, copy);
        loaded.Unload();
        if (copy is not null) ShadowCopies.Delete(copy); // nothing of it runs: the copy can go at once
        return loaded;
    }

    private static string Describe(Exception ex) => ex switch
    {
        TargetInvocationException { InnerException: { } inner } => Describe(inner),
        BadImageFormatException => $"not a .NET assembly ({ex.Message})",
        FileNotFoundException f => $"a dependency is missing: {f.FileName ?? f.Message}",
        FileLoadException f => $"a dependency could not be loaded: {f.FileName ?? f.Message}",
        ReflectionTypeLoadException r => $"types could not be loaded: {string.Join("; ", r.LoaderExceptions.Where(e => e is not null).Select(e => e!.Message).Distinct())}",
        PluginLoadException => ex.Message,
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Plugin {Plugin} {Version} loaded from {File} with {Tools} tools")]
    private partial void LogLoaded(string plugin, string file, string version, int tools);

    [LoggerMessage(Level = LogLevel.Error, Message = "Drop-in plugin {File} failed to load: {Error}")]
    private partial void LogFailed(string file, string error);
}
