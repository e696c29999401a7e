using System.Reflection;
using System.Runtime.Loader;

namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>
/// A collectible load context for one drop-in plugin assembly. Shared assemblies (see <see cref="SharedAssemblies"/>)
/// come from the host; the plugin's own dependencies are resolved from its (shadow-copied) folder and deps.json.
/// </summary>
public sealed class PluginLoadContext(string mainAssemblyPath, string name) : AssemblyLoadContext($"plugin:{name}", isCollectible: true)
{
    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (SharedAssemblies.IsShared(assemblyName)) return null;
        return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
