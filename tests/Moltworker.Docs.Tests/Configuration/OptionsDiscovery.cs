using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moltworker.Abstractions;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Docs.Tests.Configuration;

/// <summary>
/// Finds every options class bound under <c>Moltworker</c>, by where it is bound rather than by a list kept by hand:
/// the host's own composition (<see cref="HostComposition.AddMoltworker"/>) is run on an empty configuration, and
/// every <c>AddOptions&lt;T&gt;().Bind(section)</c> or <c>BindConfiguration(path)</c> leaves an
/// <see cref="IOptionsChangeTokenSource{TOptions}"/> that knows its section. Plugins bind their
/// <c>[PluginOptions]</c> class from <c>Moltworker:Plugins:&lt;Name&gt;</c> when they are created, so those are
/// found from the plugin classes of the Moltworker assemblies.
/// </summary>
public static class OptionsDiscovery
{
    public static IReadOnlyList<BoundOptions> Find()
    {
        var found = new List<BoundOptions>();
        found.AddRange(FromComposition());
        found.AddRange(FromPlugins());
        return found
            .Where(b => b.Section.Equals("Moltworker", StringComparison.OrdinalIgnoreCase) ||
                        b.Section.StartsWith("Moltworker:", StringComparison.OrdinalIgnoreCase))
            .DistinctBy(b => (b.Type, b.Section.ToUpperInvariant()))
            .OrderBy(b => b.Section, StringComparer.OrdinalIgnoreCase)
            .ThenBy(b => b.Type.FullName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every assembly of the product (not the tests): moltworker.dll and Moltworker.*.dll beside the tests.</summary>
    public static IReadOnlyList<Assembly> ProductAssemblies() =>
        Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n is not null && (n == "moltworker" || n.StartsWith("Moltworker.", StringComparison.Ordinal)))
            .Where(n => !n!.Contains("Test", StringComparison.Ordinal))
            .Select(n => Assembly.Load(n!))
            .OrderBy(a => a.GetName().Name, StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<BoundOptions> FromComposition()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.AddMoltworker();
        using var provider = builder.Services.BuildServiceProvider();
        var tokenSourceTypes = builder.Services
            .Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Distinct()
            .ToList();
        foreach (var serviceType in tokenSourceTypes)
        {
            var optionsType = serviceType.GetGenericArguments()[0];
            foreach (var source in provider.GetServices(serviceType))
                if (SectionOf(source) is { } path) yield return new BoundOptions(optionsType, path);
        }
    }

    private static string? SectionOf(object? tokenSource)
    {
        if (tokenSource is null) return null;
        var type = tokenSource.GetType();
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(ConfigurationChangeTokenSource<>)) return null;
        var field = type.GetField("_config", BindingFlags.Instance | BindingFlags.NonPublic)
                    ?? throw new InvalidOperationException("ConfigurationChangeTokenSource<T> no longer keeps its section in _config; update OptionsDiscovery.");
        return field.GetValue(tokenSource) is IConfigurationSection section ? section.Path : null;
    }

    private static IEnumerable<BoundOptions> FromPlugins()
    {
        foreach (var assembly in ProductAssemblies())
        foreach (var type in assembly.GetExportedTypes().Where(PluginFactory.IsPlugin))
        {
            var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
            foreach (var p in ctor?.GetParameters() ?? [])
                if (p.ParameterType.GetCustomAttribute<PluginOptionsAttribute>() is not null)
                    yield return new BoundOptions(p.ParameterType, $"Moltworker:Plugins:{PluginFactory.NameOf(type)}");
        }
    }
}
