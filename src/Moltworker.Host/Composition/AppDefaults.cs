using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Moltworker.Host.Composition;

/// <summary>The appsettings.json shipped beside the binary, as the lowest-priority source: the host behaves the same
/// whatever folder it is started from; the content root's own appsettings, environment and command line override it.</summary>
public static class AppDefaults
{
    public static void AddShippedDefaults(this IConfigurationBuilder configuration)
    {
        configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });
    }
}
