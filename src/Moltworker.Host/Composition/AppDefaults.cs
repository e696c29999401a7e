using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Moltworker.Host.Composition;

/// <summary>The appsettings.json shipped beside the binary, as the lowest-priority source: the host behaves the same
/// whatever folder it is started from; the content root's own appsettings, environment and command line override it.</summary>
public static class AppDefaults
{
    /// <param name="contentRoot">The host's content root. When it is the binary's own folder (a service started from
    /// its install folder), its appsettings.json is already a source, and inserting the same file first would only make
    /// the configuration load every source again (~6 ms of each start, traced).</param>
    public static void AddShippedDefaults(this IConfigurationBuilder configuration, string contentRoot)
    {
        if (SameFolder(contentRoot, AppContext.BaseDirectory)) return;
        configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
