using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Host.Composition;

namespace Moltworker.Host.Endpoints;

public static class ReadinessEndpoints
{
    /// <summary>GET /readyz: 200 <c>{"status":"ready"}</c> once the start-up work is done; 503
    /// <c>{"status":"starting","loading":["plugins","knowledge","tasks"]}</c> before (see <see cref="StartupReadiness"/>).</summary>
    public static IEndpointRouteBuilder MapReadinessEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/readyz", (StartupReadiness readiness) =>
        {
            var loading = readiness.Loading();
            return loading.Count == 0
                ? Results.Json(new { status = "ready" })
                : Results.Json(new { status = "starting", loading }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }
}
