using Microsoft.Extensions.Hosting;

namespace Moltworker.Kernel.Hosting;

/// <summary>Resolves a configured relative folder against the content root, falling back to the app's own folder
/// (where the build copies prompts) when the content root has none.</summary>
public static class ContentPaths
{
    public static string Resolve(IHostEnvironment env, string path, bool mustExist)
    {
        if (Path.IsPathRooted(path)) return path;
        var underRoot = Path.GetFullPath(Path.Combine(env.ContentRootPath, path));
        if (!mustExist || Directory.Exists(underRoot)) return underRoot;
        var underApp = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, path));
        return Directory.Exists(underApp) ? underApp : underRoot;
    }
}
