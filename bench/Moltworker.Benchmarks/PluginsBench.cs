using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.Plugins.Loading;
using Moltworker.Testing.Kernel;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>plugins</c>: drop-in SK plugins. Load: a fresh kernel reads a plugins folder holding one assembly with 50 SK plugin
/// classes of 10 <c>[KernelFunction]</c>s each (500 functions) until all are in the catalog and in the hosted SK kernel's
/// <c>Plugins</c> (the first of <c>--loads</c> runs is the cold one, with JIT). Reload: one plugin assembly (1 class,
/// 10 functions) beside them is overwritten with a changed build and the folder rescanned, until the new functions are
/// in the catalog and the kernel (median and max of <c>--reloads</c>).
/// </summary>
public sealed class PluginsBench : IBench
{
    public string Name => "plugins";

    public async Task<int> RunAsync(string[] args)
    {
        var loads = IntArg(args, "--loads", 5);
        var reloads = IntArg(args, "--reloads", 20);
        var work = Directory.CreateTempSubdirectory("mw-bench-plugins-");
        try
        {
            var editions = work.CreateSubdirectory("editions").FullName;
            PluginAssemblyWriter.Write(Path.Combine(editions, "BenchSets.dll"), "BenchSets", 50, 10, "sets");
            PluginAssemblyWriter.Write(Path.Combine(editions, "BenchOne.1.dll"), "BenchOne", 1, 10, "edition 1");
            PluginAssemblyWriter.Write(Path.Combine(editions, "BenchOne.2.dll"), "BenchOne", 1, 10, "edition 2");

            var loadTimes = new List<double>();
            for (var i = 0; i < loads; i++)
            {
                var data = work.CreateSubdirectory($"load{i}").FullName;
                var plugins = Directory.CreateDirectory(Path.Combine(data, "plugins")).FullName;
                File.Copy(Path.Combine(editions, "BenchSets.dll"), Path.Combine(plugins, "BenchSets.dll"));
                await using var kernel = TestKernel.Create(dataDirectory: data, settings: Quiet, configure: s => s.AddPluginDirectory());
                var watch = Stopwatch.StartNew();
                var tools = kernel.Get<PluginCatalog>().Snapshot.Tools.Count;
                var functions = kernel.Get<HostedKernel>().Kernel.Plugins.Sum(p => p.FunctionCount);
                watch.Stop();
                if (functions < 500) throw new InvalidOperationException($"only {functions} functions in the kernel ({tools} tools)");
                loadTimes.Add(watch.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"load 50 classes / 500 functions: cold {loadTimes[0]:N1} ms, warm median {Median(loadTimes.Skip(1)):N1} ms");

            var reloadData = work.CreateSubdirectory("reload").FullName;
            var reloadPlugins = Directory.CreateDirectory(Path.Combine(reloadData, "plugins")).FullName;
            File.Copy(Path.Combine(editions, "BenchSets.dll"), Path.Combine(reloadPlugins, "BenchSets.dll"));
            var one = Path.Combine(reloadPlugins, "BenchOne.dll");
            File.Copy(Path.Combine(editions, "BenchOne.1.dll"), one);
            await using (var kernel = TestKernel.Create(dataDirectory: reloadData, settings: Quiet, configure: s => s.AddPluginDirectory()))
            {
                var source = kernel.Get<PluginDirectorySource>();
                var hosted = kernel.Get<HostedKernel>();
                _ = hosted.Kernel;
                var reloadTimes = new List<double>();
                for (var i = 0; i < reloads; i++)
                {
                    var edition = i % 2 == 0 ? 2 : 1;
                    File.Copy(Path.Combine(editions, $"BenchOne.{edition}.dll"), one, overwrite: true);
                    File.SetLastWriteTimeUtc(one, DateTime.UtcNow.AddSeconds(i + 1)); // a new stamp even within one clock tick
                    var watch = Stopwatch.StartNew();
                    if (!source.Rescan()) throw new InvalidOperationException("the rescan saw no change");
                    var count = hosted.Kernel.Plugins.Sum(p => p.FunctionCount);
                    watch.Stop();
                    if (count != 510) throw new InvalidOperationException($"{count} functions after the reload");
                    reloadTimes.Add(watch.Elapsed.TotalMilliseconds);
                }
                Console.WriteLine($"hot reload of one plugin: median {Median(reloadTimes):N2} ms, max {reloadTimes.Max():N2} ms");
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["bench"] = Name,
                    ["load_500_cold_ms"] = Math.Round(loadTimes[0], 1),
                    ["load_500_warm_ms"] = Math.Round(Median(loadTimes.Skip(1)), 1),
                    ["reload_one_median_ms"] = Math.Round(Median(reloadTimes), 2),
                    ["reload_one_max_ms"] = Math.Round(reloadTimes.Max(), 2),
                }));
            }
            return 0;
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The loader logs one line per plugin at Information; 50 of them per load would time the console.</summary>
    private static readonly Dictionary<string, string?> Quiet = new() { ["Logging:LogLevel:Default"] = "Warning" };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
