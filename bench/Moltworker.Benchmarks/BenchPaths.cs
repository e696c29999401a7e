namespace Moltworker.Benchmarks;

/// <summary>The built host and the built sample plugin, in the configuration this benchmark was built with.
/// <c>MOLTWORKER_BENCH_HOST</c> names another host's <c>moltworker.dll</c> instead, such as the ReadyToRun publish the
/// release profile makes (<c>eng/release</c>), so the release build can be measured the same way.</summary>
public sealed record BenchPaths(string HostDll, string SamplePlugin)
{
    public const string HostVariable = "MOLTWORKER_BENCH_HOST";

    public static BenchPaths Find()
    {
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var root = tfmDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Moltworker.sln"))) root = root.Parent;
        if (root is null) throw new DirectoryNotFoundException("Moltworker.sln not found above the benchmark folder");
        var host = Path.Combine(root.FullName, "src", "Moltworker.Host", "bin", configuration, tfmDir.Name, "moltworker.dll");
        var sample = Path.Combine(root.FullName, "plugins", "Moltworker.Plugins.Sample", "bin", configuration, tfmDir.Name);
        if (Environment.GetEnvironmentVariable(HostVariable) is { Length: > 0 } other) host = Path.GetFullPath(other);
        if (!File.Exists(host)) throw new FileNotFoundException("build the host first", host);
        if (!File.Exists(Path.Combine(sample, "Moltworker.Plugins.Sample.dll"))) throw new FileNotFoundException("build the sample plugin first", sample);
        return new BenchPaths(host, sample);
    }
}
