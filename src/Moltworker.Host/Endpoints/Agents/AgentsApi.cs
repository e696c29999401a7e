using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.Agents;

namespace Moltworker.Host.Endpoints.Agents;

/// <summary><c>GET /api/agents</c> (scope read): the agents of <c>prompts/agents/</c> as <c>moltworker agents list</c>
/// shows them (description, model, phases, tools, whom each may ask), and the agent files that failed to load with
/// file and line.</summary>
public static class AgentsApi
{
    public sealed record AgentView(string Name, string Description, string? Model, IReadOnlyList<string> Phases, IReadOnlyList<string>? Tools,
        IReadOnlyList<string> MayAsk, int? MaxDepth);
    public sealed record AgentFileProblem(string Name, string Path, int? Line, string Message);
    public sealed record AgentList(IReadOnlyList<AgentView> Agents, IReadOnlyList<AgentFileProblem> Errors);

    public static IEndpointRouteBuilder MapAgentsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/agents").RequireRateLimiting(ApiRateLimits.ClientPolicy)
            .MapGet("", (AgentRegistry registry) => Results.Ok(List(registry.Current)))
            .RequireAuthorization(ApiScopes.Read)
            .Produces<AgentList>()
            .WithSummary("The agents with their descriptions, and agent files that failed to load");
        return endpoints;
    }

    public static AgentList List(AgentSet set) => new(
        set.Agents.Values.OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => new AgentView(a.Name, a.Description, a.Model, a.Phases, a.Tools, set.TargetsOf(a).Select(t => t.Name).ToList(), a.MaxDepth)).ToList(),
        set.Errors.Select(e => new AgentFileProblem(e.Name, e.Path, e.Line, e.Message)).ToList());
}
