using System.Diagnostics;

namespace Moltworker.EndToEnd.Tests.Cluster;

/// <summary>The crash host (tests/Moltworker.CrashHost) as one of several processes on one PostgreSQL database: started
/// and awaited separately, so two can run at once; the time it exited is kept (the moment of a SIGKILL).</summary>
public sealed class ClusterCrashHost
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _errors;
    private readonly TaskCompletionSource<long> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClusterCrashHost(Process process)
    {
        _process = process;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => _exited.TrySetResult(Stopwatch.GetTimestamp());
        _output = process.StandardOutput.ReadToEndAsync();
        _errors = process.StandardError.ReadToEndAsync();
        if (process.HasExited) _exited.TrySetResult(Stopwatch.GetTimestamp());
    }

    public sealed record Run(int ExitCode, string Output, string Errors, long ExitedAt)
    {
        public bool Killed => Output.Contains("CRASHING at", StringComparison.Ordinal) && ExitCode != 0;
    }

    /// <summary>Starts a host on <paramref name="postgres"/> with its own data folder under <paramref name="root"/>.
    /// <paramref name="untilTasks"/>: wait for that many tasks to exist and finish (another host's, taken over).</summary>
    public static ClusterCrashHost Start(string root, string name, Uri llm, Uri ledger, string postgres, string? ask = null, string? crashAt = null, int untilTasks = 0)
    {
        var data = Path.Combine(root, name);
        Directory.CreateDirectory(data);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var a in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "Moltworker.CrashHost.dll"), $"--Moltworker:DataDirectory={data}",
                     $"--Moltworker:Llm:BaseUrl={llm}", "--Moltworker:Llm:Model=gpt-4o-mini", "--Moltworker:Llm:ApiKey=test-key",
                     "--Moltworker:Llm:MaxRetries=0", $"--Moltworker:Plugins:ledger:BaseUrl={ledger}", "--Moltworker:Plugins:Watch=false",
                     $"--Moltworker:Plugins:Directory={Path.Combine(data, "plugins")}",
                     "--Moltworker:Storage:Provider=Postgres", $"--Moltworker:Storage:ConnectionString={postgres}",
                 })
            start.ArgumentList.Add(a);
        start.Environment["MW_ASK"] = ask ?? "";
        start.Environment["MW_CRASH_AT"] = crashAt ?? "";
        start.Environment["MW_UNTIL_TASKS"] = untilTasks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new ClusterCrashHost(Process.Start(start)!);
    }

    /// <summary>Waits for the exit (60 s at most) and answers what the process wrote.</summary>
    public async Task<Run> ExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the crash host did not finish within 60 s: {await _output}\n{await _errors}");
        }
        var run = new Run(_process.ExitCode, await _output, await _errors, await _exited.Task);
        _process.Dispose();
        return run;
    }
}
