using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Host.Endpoints;

/// <summary>
/// <c>GET /healthz</c> and <c>GET /readyz</c> answered by middleware ahead of routing. Routing builds the whole route
/// table (every endpoint's request delegate, then the matcher) on the first request it sees, which took a starting
/// host's first probe as long as the rest of its start; a probe now never waits for it, and the first request that
/// needs a route builds the table. The endpoints are mapped as well (<see cref="HealthEndpoints"/>,
/// <see cref="ReadinessEndpoints"/>), so they appear in the API's description.
/// </summary>
public static class HealthProbes
{
    /// <summary>Answers the probes, then adds routing: call before any middleware that needs an endpoint.</summary>
    public static WebApplication UseHealthProbes(this WebApplication app)
    {
        app.Use((context, next) => !HttpMethods.IsGet(context.Request.Method) ? next(context) : context.Request.Path.Value switch
        {
            var path when Is(path, HealthEndpoints.Path) => AnswerAsync(context, HealthEndpoints.CheckAsync(context)),
            var path when Is(path, ReadinessEndpoints.Path) => ReadinessEndpoints.Check(context).ExecuteAsync(context),
            _ => next(context),
        });
        app.UseRouting();
        return app;
    }

    private static async Task AnswerAsync(HttpContext context, Task<IResult> result) => await (await result).ExecuteAsync(context);

    private static bool Is(string? path, string probe) => string.Equals(path, probe, StringComparison.OrdinalIgnoreCase);
}
