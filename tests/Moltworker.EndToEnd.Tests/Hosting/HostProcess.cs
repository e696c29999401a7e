using System.Diagnostics;

namespace Moltworker.EndToEnd.Tests.Hosting;

/// <summary>Runs the built host (<c>dotnet moltworker.dll …</c>) as a separate process and collects its output.</summary>
public static class HostProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(TestArtifacts.HostDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        // Only what the test says: no model settings leak in from the machine running the tests.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("Moltworker__", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(key);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return info;
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory, int timeoutSeconds = 60)
    {
        using var process = Process.Start(StartInfo(args, environment, workingDirectory))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"moltworker {string.Join(' ', args)} did not exit within {timeoutSeconds} s. stderr: {await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
