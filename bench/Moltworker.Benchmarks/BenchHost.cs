using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Moltworker.Benchmarks;

/// <summary>The built host started as a process (<c>dotnet moltworker.dll run --urls …</c>) for the kernel benchmark.</summary>
public sealed class BenchHost : IDisposable
{
    private readonly Process _process;

    private BenchHost(Process process, Uri baseUrl, double startupMs)
    {
        _process = process;
        BaseUrl = baseUrl;
        StartupMs = startupMs;
    }

    public Uri BaseUrl { get; }
    public double StartupMs { get; }

    /// <summary>The host process's id (for /proc/PID/stat CPU times).</summary>
    public int ProcessId => _process.Id;

    public static async Task<BenchHost> StartAsync(string hostDll, string modelUrl, DirectoryInfo work, string pluginsDir, string name,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = work.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { hostDll, "run", "--urls", url.ToString().TrimEnd('/') }) info.ArgumentList.Add(a);
        info.Environment["Moltworker__Llm__BaseUrl"] = modelUrl;
        info.Environment["Moltworker__Llm__Model"] = "bench-model";
        info.Environment["Moltworker__Llm__ApiKey"] = "sk-bench";
        info.Environment["Moltworker__DataDirectory"] = work.CreateSubdirectory($"data-{name}").FullName;
        info.Environment["Moltworker__Plugins__Directory"] = pluginsDir;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // Thousands of turns a minute from one address: the API's rate limits (Moltworker:Api:RateLimit) would refuse them.
        info.Environment["Moltworker__Api__RateLimit__Enabled"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment[key] = value;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the host exited with {process.ExitCode} before /healthz answered");
            if (watch.Elapsed > TimeSpan.FromSeconds(60)) { process.Kill(entireProcessTree: true); throw new TimeoutException("/healthz did not answer 200 within 60 s"); }
            try
            {
                using var response = await http.GetAsync(new Uri(url, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(5);
        }
        return new BenchHost(process, url, watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>The CPU time the host process has used so far (user and kernel, all threads).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>VmRSS of the host process from /proc (Linux), in MB.</summary>
    public double RssMb() => StatusMb("VmRSS:");

    /// <summary>One line of /proc/PID/status in MB: VmRSS, RssAnon (heaps, JIT code), RssFile (mapped files).</summary>
    public double StatusMb(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        var kb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kb / 1024;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
