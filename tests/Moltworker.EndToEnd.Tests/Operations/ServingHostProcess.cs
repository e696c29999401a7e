using System.Diagnostics;
using System.Text.RegularExpressions;
using Moltworker.EndToEnd.Tests.Hosting;

namespace Moltworker.EndToEnd.Tests.Operations;

/// <summary><c>moltworker run</c> as a real child process on a free port: its address, its output lines as they come,
/// stop signals, and its exit.</summary>
public sealed partial class ServingHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();

    private ServingHostProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static async Task<ServingHostProcess> StartAsync(string dataDirectory, string workingDirectory, IEnumerable<string> settings)
    {
        string[] args = ["run", "--urls", "http://127.0.0.1:0", $"--Moltworker:DataDirectory={dataDirectory}",
            $"--Moltworker:Plugins:Directory={Path.Combine(workingDirectory, "plugins")}", "--Moltworker:Knowledge:IngestSeedOnStart=false", .. settings];
        var process = Process.Start(HostProcess.StartInfo(args, new Dictionary<string, string>(), workingDirectory))!;
        var host = new ServingHostProcess(process);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => host._address.TrySetException(new InvalidOperationException($"moltworker run exited with {process.ExitCode}:\n{host.Output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host._address.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    public Uri Address => _address.Task.Result;

    public string Output { get { lock (_lines) return string.Join('\n', _lines); } }

    private void OnLine(string? line)
    {
        if (line is null) return;
        if (Listening().Match(line) is { Success: true } m) _address.TrySetResult(new Uri(m.Groups[1].Value));
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal))) waiter.Seen.TrySetResult();
        }
    }

    /// <summary>Completes when a line containing <paramref name="text"/> has been written (before or after the call).</summary>
    public Task SeenAsync(string text)
    {
        lock (_lines)
        {
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal))) return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
            return seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Sends SIGTERM, as <c>systemctl stop</c> and <c>docker stop</c> do.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
    }

    /// <summary>The exit code; fails when the process has not exited within <paramref name="seconds"/> (a generous bound).</summary>
    public async Task<int> ExitAsync(int seconds = 60)
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        _process.WaitForExit(); // the output is read to its end
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
