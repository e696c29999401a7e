using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Host.Composition;

namespace Moltworker.Host.Endpoints;

public static class ReadinessEndpoints
{
    /// <summary>GET /readyz: 200 <c>{"status":"ready"}</c> once the start-up work is done; 503
    /// <c>{"status":"starting","loading":["plugins","knowledge","tasks"]}</c> before (see <see cref="StartupReadiness"/>). Answered before routing by <see cref="HealthProbes"/>;
    /// mapped too, for the API's description.</summary>
    public static IEndpointRouteBuilder MapReadinessEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (Func<HttpContext, IResult>)Check);
        return endpoints;
    }

    public const string Path = "/readyz";

    public static IResult Check(HttpContext context)
    {
        var loading = context.RequestServices.GetRequiredService<StartupReadiness>().Loading();
        return loading.Count == 0
            ? Results.Json(new { status = "ready" })
            : Results.Json(new { status = "starting", loading }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
