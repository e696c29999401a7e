using System.CommandLine;
using Moltworker.Host.Composition;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker run [--urls …]</c>: the gateway (the default verb). Stops gracefully on SIGTERM (see <see cref="GracefulStop"/>).</summary>
public sealed class RunVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var command = new Command("run", "Run the gateway (HTTP API, /healthz, configured channels). The default verb.");
        command.SetAction(async (parse, ct) =>
        {
            var app = WebHostFactory.Build([.. parse.UnmatchedTokens, .. host.Settings]);
            app.Lifetime.ExitOnSignalWhileStopping();
            await app.RunAsync(ct);
            return 0;
        });
        return command;
    }
}
