using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Agents;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker agents list</c>: the agents of <c>prompts/agents/</c> with their descriptions and whom they
/// may ask, and the agent files that failed to load with file and line (exit code 2 when any failed).</summary>
public sealed class AgentsVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var list = new Command("list", "List the agents and whom each may ask, and agent files that failed to load with their line (exit code 2 when any failed)");
        list.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var set = app.Services.GetRequiredService<AgentRegistry>().Current;
            Console.WriteLine(AgentListing.Describe(set).Replace("**", ""));
            return set.Errors.Count == 0 ? 0 : 2;
        });
        return new Command("agents", "Agents: prompts/agents/<name>.md files that delegate to each other. Docs: docs/agents.md") { list };
    }
}
