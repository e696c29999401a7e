using System.CommandLine;

namespace Moltworker.Host.Cli;

/// <summary>A CLI verb; <see cref="MoltworkerCli.Verbs"/> lists each one for the root command.</summary>
public interface ICliVerb
{
    Command Build(CliHost host);
}
