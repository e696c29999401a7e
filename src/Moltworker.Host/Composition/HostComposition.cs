using System.Reflection;
using Microsoft.Extensions.Hosting;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;
using Moltworker.Knowledge;
using Moltworker.Storage.Sqlite;

namespace Moltworker.Host.Composition;

/// <summary>The composition root: every area's services, shared by the web host and the CLI verbs.</summary>
public static class HostComposition
{
    public const string BuiltInPluginsAssembly = "Moltworker.Plugins.BuiltIn";

    public static void AddMoltworker(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        configuration.AddShippedDefaults();
        services.AddMoltworkerKernel(configuration);
        services.AddSqliteStorage();
        services.AddKnowledge(configuration);
        foreach (var type in BuiltInPluginTypes()) services.AddPlugin(type);
    }

    /// <summary>The plugin classes of the built-in plugins assembly (every public class with [Tool] methods).</summary>
    public static IEnumerable<Type> BuiltInPluginTypes() =>
        Assembly.Load(BuiltInPluginsAssembly).GetExportedTypes().Where(PluginFactory.IsPlugin).OrderBy(t => t.FullName, StringComparer.Ordinal);
}
