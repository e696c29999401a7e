using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>startup</c>: process start to the first 200 from <c>/healthz</c> of the host published as ReadyToRun (the release
/// profile), side by side with a bare ASP.NET Core app (<c>dotnet new web</c>, generated into a temp folder and published
/// the same way: framework-dependent, ReadyToRun, this machine's runtime), alternating starts in one run; medians, the
/// ratio (target ≤ 1.3) and each one's RSS right after its first answer. <c>--starts N</c> (default 7) per app.
/// Runs <c>dotnet new</c> and <c>dotnet publish</c> itself: on a shared build machine run the whole benchmark under the
/// build lock.
/// </summary>
public sealed class StartupBench : IBench
{
    public string Name => "startup";

    public async Task<int> RunAsync(string[] args)
    {
        var starts = args.SkipWhile(a => a != "--starts").Skip(1).Select(int.Parse).FirstOrDefault(7);
        var rid = RuntimeInformation.RuntimeIdentifier;
        var root = FindRoot();
        var work = Directory.CreateTempSubdirectory("mw-startup-");
        try
        {
            var hostOut = Path.Combine(work.FullName, "host");
            await RunAsync("dotnet", root, "publish", Path.Combine(root, "src", "Moltworker.Host", "Moltworker.Host.csproj"), "-c", "Release", "-r", rid,
                "-p:PublishProfile=ReadyToRun", "-o", hostOut, "--nologo");
            var bare = Path.Combine(work.FullName, "bare");
            await RunAsync("dotnet", work.FullName, "new", "web", "-o", bare, "-n", "BareWeb", "--no-restore");
            // Outside this repository's Directory.Build.props and central package versions.
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "Directory.Build.props"), "<Project />");
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "Directory.Packages.props"), "<Project />");
            var bareOut = Path.Combine(work.FullName, "bare-out");
            await RunAsync("dotnet", bare, "publish", "-c", "Release", "-r", rid, "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", bareOut, "--nologo");

            var data = work.CreateSubdirectory("data").FullName;
            var hostMs = new List<double>();
            var bareMs = new List<double>();
            var hostRss = new List<double>();
            var bareRss = new List<double>();
            for (var i = 0; i < starts; i++)
            {
                var (b, bRss) = await TimeToFirst200Async(Path.Combine(bareOut, "BareWeb.dll"), [], "/", bareOut, new Dictionary<string, string>());
                var (h, hRss) = await TimeToFirst200Async(Path.Combine(hostOut, "moltworker.dll"), ["run"], "/healthz", hostOut, new Dictionary<string, string>
                {
                    ["Moltworker__DataDirectory"] = Path.Combine(data, $"start{i}"),
                    ["Moltworker__Plugins__Directory"] = Path.Combine(data, "plugins"),
                    ["Logging__LogLevel__Default"] = "Warning",
                });
                bareMs.Add(b);
                hostMs.Add(h);
                bareRss.Add(bRss);
                hostRss.Add(hRss);
                Console.Error.WriteLine($"start {i + 1}: bare {b:F0} ms, moltworker {h:F0} ms");
            }
            var result = new
            {
                bench = Name,
                rid,
                starts,
                bareMedianMs = Math.Round(Median(bareMs), 1),
                moltworkerMedianMs = Math.Round(Median(hostMs), 1),
                ratio = Math.Round(Median(hostMs) / Median(bareMs), 3),
                target = 1.3,
                bareRssMb = Math.Round(Median(bareRss), 1),
                moltworkerRssMb = Math.Round(Median(hostRss), 1),
                bareMs = bareMs.Select(v => Math.Round(v)).ToList(),
                moltworkerMs = hostMs.Select(v => Math.Round(v)).ToList(),
            };
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<(double Ms, double RssMb)> TimeToFirst200Async(string dll, string[] args, string path, string directory, Dictionary<string, string> environment)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url.ToString().TrimEnd('/'));
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                if (process.HasExited) throw new InvalidOperationException($"{dll} exited with {process.ExitCode}");
                if (watch.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{dll} did not answer within 60 s");
                try
                {
                    using var response = await http.GetAsync(new Uri(url, path));
                    if (response.StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(5);
            }
            var ms = watch.Elapsed.TotalMilliseconds;
            var rss = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return (ms, double.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task RunAsync(string file, string directory, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed:\n{await output}\n{await errors}");
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moltworker.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Moltworker.sln not found above the benchmark");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
