using System.CommandLine;

namespace Moltworker.Host.Cli;

/// <summary>A CLI verb. Classes implementing this in the host assembly are discovered and added to the root command.</summary>
public interface ICliVerb
{
    Command Build(CliHost host);
}
