using System.CommandLine;
using Moltworker.Host.Composition;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker run [--urls …]</c>: the gateway (the default verb).</summary>
public sealed class RunVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var command = new Command("run", "Run the gateway (HTTP API, /healthz, configured channels). The default verb.");
        command.SetAction(async (parse, ct) =>
        {
            var app = WebHostFactory.Build([.. parse.UnmatchedTokens, .. host.Settings]);
            var failures = HostFailures.Watch(app.Services);
            await app.RunAsync(ct);
            failures.ThrowIfAnyFailed(); // reported by MoltworkerCli with its exit code
            return ExitCodes.Ok;
        });
        return command;
    }
}
