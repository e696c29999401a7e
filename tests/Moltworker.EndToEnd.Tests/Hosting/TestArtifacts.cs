namespace Moltworker.EndToEnd.Tests.Hosting;

/// <summary>Where the build put what the tests use: the drop-in test plugins (see the .csproj) and the built host.</summary>
public static class TestArtifacts
{
    /// <summary>testplugins/sample-1, sample-2 (built with -p:SampleEdition=2) and faulty beside the test assembly.</summary>
    public static string Plugin(string variant)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "testplugins", variant);
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"{path} is missing: build the test project (its BuildTestPlugins target makes it)");
        return path;
    }

    public const string SampleAssembly = "Moltworker.Plugins.Sample";
    public const string FaultyAssembly = "Moltworker.TestPlugins.Faulty";

    /// <summary>Copies a built plugin into <paramref name="pluginsDir"/> as a folder <c>&lt;name&gt;/&lt;name&gt;.dll</c>, overwriting files in place.</summary>
    public static string DropFolder(string variant, string assemblyName, string pluginsDir, string? folderName = null)
    {
        folderName ??= assemblyName;
        var target = Path.Combine(pluginsDir, folderName);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(Plugin(variant)))
        {
            var name = Path.GetFileName(file);
            if (folderName != assemblyName && name.StartsWith(assemblyName + ".", StringComparison.Ordinal)) name = folderName + name[assemblyName.Length..];
            File.Copy(file, Path.Combine(target, name), overwrite: true);
        }
        return target;
    }

    /// <summary>Copies only the main assembly into <paramref name="pluginsDir"/> as <c>&lt;fileName&gt;.dll</c>.</summary>
    public static string DropFile(string variant, string assemblyName, string pluginsDir, string? fileName = null)
    {
        var target = Path.Combine(pluginsDir, (fileName ?? assemblyName) + ".dll");
        File.Copy(Path.Combine(Plugin(variant), assemblyName + ".dll"), target, overwrite: true);
        return target;
    }

    /// <summary>The host as built (src/Moltworker.Host/bin/&lt;Configuration&gt;/net10.0/moltworker.dll).</summary>
    public static string HostDll
    {
        get
        {
            var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfmDir.Parent!.Name;
            var root = tfmDir;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Moltworker.sln"))) root = root.Parent;
            if (root is null) throw new DirectoryNotFoundException("Moltworker.sln not found above the test folder");
            var dll = Path.Combine(root.FullName, "src", "Moltworker.Host", "bin", configuration, tfmDir.Name, "moltworker.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException("Build the host first", dll);
            return dll;
        }
    }
}
