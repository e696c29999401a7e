using System.Reflection;
using System.Reflection.Metadata;

namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>
/// After a plugin is unloaded, asks the libraries in the process to drop what they cached about its types, through the
/// hook they already expose for hot reload: every <see cref="MetadataUpdateHandlerAttribute"/> handler's static
/// <c>ClearCache(Type[]?)</c>. System.Text.Json, for instance, caches member accessors and type metadata per type and
/// evicts them only lazily; until then those caches keep an unloaded plugin's code (and memory) alive.
/// </summary>
public static class RuntimeCaches
{
    private static readonly Lazy<IReadOnlyList<MethodInfo>> Handlers = new(FindHandlers);

    public static void Release(Type[] unloadedTypes)
    {
        foreach (var handler in Handlers.Value)
        {
            try { handler.Invoke(null, [unloadedTypes]); }
            catch (TargetInvocationException) { } // a library's cache is its own business; never fail an unload over it
            catch (ArgumentException) { }
        }
    }

    private static List<MethodInfo> FindHandlers()
    {
        var handlers = new List<MethodInfo>();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsCollectible && !a.IsDynamic))
        {
            IEnumerable<MetadataUpdateHandlerAttribute> attributes;
            try { attributes = assembly.GetCustomAttributes<MetadataUpdateHandlerAttribute>(); }
            catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or CustomAttributeFormatException) { continue; }
            foreach (var attribute in attributes)
                if (attribute.HandlerType.GetMethod("ClearCache", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(Type[])]) is { } method)
                    handlers.Add(method);
        }
        return handlers;
    }
}
