using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Host.Composition;
using Moltworker.Kernel.State;

namespace Moltworker.Host.Endpoints;

public static class HealthEndpoints
{
    /// <summary>GET /healthz: one JSON object with an entry per contributor (database, model, plugins, …).
    /// 200 while the database works (a missing model is reported, not fatal); 503 otherwise. While start-up work still runs in the
    /// background, the status is "starting" and "loading" lists it (see /readyz). Answered before routing by
    /// <see cref="HealthProbes"/>; mapped too, for the API's description.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (Func<HttpContext, Task<IResult>>)CheckAsync); // a route handler, not a RequestDelegate: it is described
        return endpoints;
    }

    public const string Path = "/healthz";

    public static async Task<IResult> CheckAsync(HttpContext context)
    {
        var contributors = context.RequestServices.GetServices<IHealthContributor>();
        var readiness = context.RequestServices.GetRequiredService<StartupReadiness>();
        var body = new Dictionary<string, object?>();
        var healthy = true;
        var hints = new List<string>();
        foreach (var contributor in contributors)
        {
            HealthEntry entry;
            try { entry = await contributor.CheckAsync(context.RequestAborted); }
            catch (Exception ex) { entry = new HealthEntry(false, new { error = ex.Message }); }
            body[contributor.Name] = entry.Data;
            if (entry.Hint is not null) hints.Add(entry.Hint);
            if (!entry.Healthy && contributor.Name == "database") healthy = false;
        }
        body["status"] = healthy ? "ok" : "unhealthy";
        // Still loading in the background (GET /readyz): "starting", with what; the status code stays 200.
        if (healthy && readiness.Loading() is { Count: > 0 } loading) (body["status"], body["loading"]) = ("starting", loading);
        if (hints.Count > 0) body["hints"] = hints;
        return Results.Json(body, statusCode: healthy ? 200 : 503);
    }
}
