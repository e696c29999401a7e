using System.CommandLine;
using Moltworker.Host.Composition;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker run [--urls …]</c>: the gateway (the default verb). Stops gracefully on SIGTERM (see <see cref="GracefulStop"/>).</summary>
public sealed class RunVerb : ICliVerb
{
    private const string Name = "run";

    /// <summary>Whether the parsed command is <c>run</c>, which handles SIGTERM and SIGINT itself (through the host's
    /// console lifetime and <see cref="GracefulStop"/>), so System.CommandLine must not.</summary>
    public static bool HandlesStopSignals(ParseResult parse) => parse.CommandResult.Command.Name == Name;

    public Command Build(CliHost host)
    {
        var command = new Command(Name, "Run the gateway (the default verb): the HTTP API and /healthz on http://127.0.0.1:5080 (change it with --urls <url> or ASPNETCORE_URLS), " +
            "and Telegram and Discord when configured. Ctrl+C stops it gracefully. Docs: docs/operations.md#running-the-host");
        command.SetAction(async (parse, ct) =>
        {
            var app = WebHostFactory.Build([.. parse.UnmatchedTokens, .. host.Settings]);
            var failures = HostFailures.Watch(app.Services);
            app.Lifetime.ExitOnSignalWhileStopping();
            try { await app.RunAsync(ct); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // A background service that failed during start-up stops the host, which cancels what was still
                // starting (Kestrel's bind): report the failure, not the cancellation.
                failures.ThrowIfAnyFailed();
                throw;
            }
            failures.ThrowIfAnyFailed(); // reported by MoltworkerCli with its exit code
            return ExitCodes.Ok;
        });
        return command;
    }
}
