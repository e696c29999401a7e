using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Host.Composition;

namespace Moltworker.Host.Endpoints;

/// <summary>
/// <c>GET /healthz</c> and <c>GET /readyz</c> answered by middleware ahead of routing. Routing builds the whole route
/// table (every endpoint's request delegate, then the matcher) on the first request it sees, which took a starting
/// host's first probe as long as the rest of its start; a probe now never waits for it, and the first request that
/// needs a route builds the table. The endpoints are mapped as well (<see cref="HealthEndpoints"/>,
/// <see cref="ReadinessEndpoints"/>), so they appear in the API's description.
/// While the hosted services are still being made (<see cref="AfterListeningHostedService"/>), a probe answers
/// "starting" with <c>"loading":["services"]</c> from constants: the health contributors and the readiness sources are
/// among what is being made, and resolving them would wait for the container's locks the start holds.
/// </summary>
public static class HealthProbes
{
    /// <summary>Answers the probes, then adds routing: call before any middleware that needs an endpoint.</summary>
    public static WebApplication UseHealthProbes(this WebApplication app)
    {
        var services = app.Services.GetService<AfterListeningHostedService>();
        bool Making() => services is { AllStarted.IsCompleted: false };
        app.Use((context, next) => !HttpMethods.IsGet(context.Request.Method) ? next(context) : context.Request.Path.Value switch
        {
            var path when Is(path, HealthEndpoints.Path) => Making() ? StartingAsync(context, StatusCodes.Status200OK) : AnswerAsync(context, HealthEndpoints.CheckAsync(context)),
            var path when Is(path, ReadinessEndpoints.Path) => Making() ? StartingAsync(context, StatusCodes.Status503ServiceUnavailable) : ReadinessEndpoints.Check(context).ExecuteAsync(context),
            _ => next(context),
        });
        app.UseRouting();
        return app;
    }

    private static readonly byte[] StartingBody = """{"status":"starting","loading":["services"]}"""u8.ToArray();

    private static async Task AnswerAsync(HttpContext context, Task<IResult> result) => await (await result).ExecuteAsync(context);

    private static Task StartingAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = StartingBody.Length;
        return context.Response.Body.WriteAsync(StartingBody, context.RequestAborted).AsTask();
    }

    private static bool Is(string? path, string probe) => string.Equals(path, probe, StringComparison.OrdinalIgnoreCase);
}
