using System.Diagnostics;

namespace Moltworker.EndToEnd.Tests.Crash;

/// <summary>Runs the purpose-built crash host (tests/Moltworker.CrashHost) as a real child process on one data folder,
/// and with <c>postgres</c> on that PostgreSQL database instead of the folder's SQLite file.</summary>
public static class CrashHostProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Moltworker.CrashHost.dll");

    public sealed record Run(int ExitCode, string Output, string Errors)
    {
        public bool Killed => Output.Contains("CRASHING at", StringComparison.Ordinal) && ExitCode != 0;
        public string? Answer => Output.Split('\n').FirstOrDefault(l => l.StartsWith("ANSWER ", StringComparison.Ordinal))?[7..].TrimEnd('\r');
    }

    /// <param name="settings">More <c>--key=value</c> settings (e.g. a prompts folder with agents of the test's own).</param>
    public static async Task<Run> RunAsync(string dataDirectory, Uri llm, Uri ledger, string? ask = null, string? crashAt = null, string? postgres = null,
        IEnumerable<string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var a in new[]
                 {
                     Dll, $"--Moltworker:DataDirectory={dataDirectory}", $"--Moltworker:Llm:BaseUrl={llm}", "--Moltworker:Llm:Model=gpt-4o-mini",
                     "--Moltworker:Llm:ApiKey=test-key", "--Moltworker:Llm:MaxRetries=0", $"--Moltworker:Plugins:ledger:BaseUrl={ledger}",
                     "--Moltworker:Plugins:Watch=false", $"--Moltworker:Plugins:Directory={Path.Combine(dataDirectory, "plugins")}",
                 })
            start.ArgumentList.Add(a);
        foreach (var setting in settings ?? []) start.ArgumentList.Add(setting);
        if (postgres is not null)
        {
            start.ArgumentList.Add("--Moltworker:Storage:Provider=Postgres");
            start.ArgumentList.Add($"--Moltworker:Storage:ConnectionString={postgres}");
        }
        start.Environment["MW_ASK"] = ask ?? "";
        start.Environment["MW_CRASH_AT"] = crashAt ?? "";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the crash host did not finish within 60 s: {await output}\n{await errors}");
        }
        return new Run(process.ExitCode, await output, await errors);
    }
}
