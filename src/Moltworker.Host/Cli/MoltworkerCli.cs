using System.CommandLine;
using System.Reflection;

namespace Moltworker.Host.Cli;

/// <summary>The command line: <c>run</c> (the default), <c>chat</c>, <c>ask</c>, <c>plugins list</c> and every other
/// <see cref="ICliVerb"/> in this assembly; <c>--version</c>. Settings (<c>--Moltworker:Llm:Model=…</c> or
/// <c>--Moltworker:Llm:Model …</c>, see <see cref="ConfigurationArguments"/>) go to the host's configuration, as do
/// options <c>run</c> does not know (e.g. <c>--urls</c>). An error that stops any verb prints one line on standard error
/// (the stack trace only with <c>--verbose</c>) and exits with a code from <see cref="ExitCodes"/>.</summary>
public static class MoltworkerCli
{
    /// <summary>The root help: what it is, how settings are given, and where every setting is documented.</summary>
    public const string RootDescription =
        "Moltworker: a self-hosted AI assistant gateway (Telegram, Discord, console, HTTP API).\n\n" +
        "Settings follow any verb, like environment variables (Moltworker__Llm__Model=...):\n" +
        "  --Moltworker:Llm:Model=gpt-4o-mini   or   --Moltworker:Llm:Model gpt-4o-mini   (':' or '__' between the parts)\n" +
        "Every setting, with its default: docs/configuration.md. The command line: docs/operations.md#the-command-line\n" +
        "With no verb, 'run' starts the gateway.";

    private static readonly HashSet<string> RootOptions = ["--version", "--help", "-h", "-?", "/?", "/h"];

    public static async Task<int> RunAsync(string[] args)
    {
        string[] settings;
        try { (args, settings) = ConfigurationArguments.Split(args); }
        catch (CliUsageException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        var verbose = args.Contains(VerboseOption);
        args = [.. args.Where(a => a != VerboseOption)];
        if (args.Length == 0 || (args[0].StartsWith('-') && !RootOptions.Contains(args[0]))) args = ["run", .. args];
        var root = Build(args, settings);
        try
        {
            var parse = root.Parse(args);
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                // `run` stops on its own terms (GracefulStop: ShutdownTimeout, then exit 0). System.CommandLine's own
                // handler would give it two seconds and then end the invocation with 143 while turns still finish.
                ProcessTerminationTimeout = RunVerb.HandlesStopSignals(parse) ? null : TimeSpan.FromSeconds(2),
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One clear line and a documented exit code (ExitCodes), not a stack trace and 0.
            return FatalError.Report(ex, verbose, Console.Error);
        }
    }

    /// <summary>Every verb, in name order (the help lists them so). A list, not a scan of the assembly's types: reading
    /// every type's metadata took ~12 ms of each start (traced). A test checks that it names every <see cref="ICliVerb"/>.</summary>
    public static IReadOnlyList<ICliVerb> Verbs { get; } =
    [
        new AgentsVerb(), new ApprovalsVerb(), new AskVerb(), new BackupVerb(), new ChatVerb(), new IngestVerb(), new KeysVerb(),
        new OpenApiVerb(), new PluginsVerb(), new RestoreVerb(), new RunVerb(), new SchedulesVerb(), new SearchVerb(), new TasksVerb(),
        new TransactionsVerb(), new UsageVerb(),
    ];

    /// <summary>Anywhere on the command line: a fatal error prints its stack trace after the one-line message.</summary>
    public const string VerboseOption = "--verbose";

    /// <param name="args">The command line without the settings.</param>
    /// <param name="settings">The settings, as <c>--Section:Key=value</c> (from <see cref="ConfigurationArguments.Split"/>).</param>
    public static RootCommand Build(string[] args, IReadOnlyList<string> settings)
    {
        var root = new RootCommand(RootDescription);
        // Other --name=value tokens (e.g. --environment=Development) reach the configuration as before.
        var others = args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('='));
        var host = new CliHost([.. others, .. settings], settings);
        foreach (var verb in Verbs)
        {
            var command = verb.Build(host);
            AllowConfigurationTokens(command);
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>Configuration tokens (<c>--Moltworker:Llm:Model=…</c>) may follow any verb, nested ones too (<c>plugins list</c>).</summary>
    private static void AllowConfigurationTokens(Command command)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        foreach (var sub in command.Subcommands) AllowConfigurationTokens(sub);
    }

    public static string Version =>
        typeof(MoltworkerCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
