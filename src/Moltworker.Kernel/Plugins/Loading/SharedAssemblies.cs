using System.Reflection;

namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>
/// Which assemblies a drop-in plugin shares with the host instead of loading its own copy. Always the plugin
/// contracts (<c>Moltworker.Abstractions</c>, <c>Microsoft.Extensions.AI.Abstractions</c>, Semantic Kernel's
/// <c>Abstractions</c> and <c>Core</c>, so an SK plugin's <c>[KernelFunction]</c> is the host's); beyond them, every
/// assembly the host itself ships (its trusted platform assemblies: the framework, logging, DI, options, …), so
/// that types crossing the boundary (<c>ILogger&lt;T&gt;</c>, <c>IServiceProvider</c>, <c>AIFunction</c>) are one
/// type on both sides. Anything else a plugin needs comes from the plugin's own folder.
/// </summary>
public static class SharedAssemblies
{
    private static readonly HashSet<string> Contracts = new(StringComparer.OrdinalIgnoreCase)
    {
        "Moltworker.Abstractions",
        "Microsoft.Extensions.AI.Abstractions",
        "Microsoft.SemanticKernel.Abstractions",
        "Microsoft.SemanticKernel.Core",
    };

    private static readonly Lazy<HashSet<string>> HostAssemblies = new(ReadHostAssemblies);

    public static bool IsShared(AssemblyName name) =>
        name.Name is { } simple && (Contracts.Contains(simple) || HostAssemblies.Value.Contains(simple));

    private static HashSet<string> ReadHostAssemblies()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
            foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                names.Add(Path.GetFileNameWithoutExtension(path));
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            if (!assembly.IsCollectible && assembly.GetName().Name is { } n) names.Add(n);
        return names;
    }
}
