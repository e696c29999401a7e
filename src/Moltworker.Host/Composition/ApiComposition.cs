using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moltworker.Host.Endpoints;
using Microsoft.AspNetCore.Routing;
using Moltworker.Host.Endpoints.Agents;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Host.Endpoints.Feedback;
using Moltworker.Host.Endpoints.Knowledge;
using Moltworker.Host.Endpoints.OpenApi;
using Moltworker.Host.Endpoints.Plugins;
using Moltworker.Host.Endpoints.Usage;
using Moltworker.Host.Endpoints.HttpChat;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Host.Composition;

/// <summary>The HTTP API's wiring: its options, problem details for every error under <c>/api</c> (an exception or an
/// empty error response becomes an RFC 9457 body), API keys (<see cref="ApiKeyAuthenticationHandler"/>, one authorization policy per scope), its rate limits
/// (<see cref="ApiRateLimits"/>), and the HTTP channel's inbox handler.</summary>
public static class ApiComposition
{
    public static void AddMoltworkerApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section))
            .Validate(o => o.MaxChatBytes > 0, "Moltworker:Api:MaxChatBytes must be positive.")
            .Validate(o => o.MaxIngestBytes > 0, "Moltworker:Api:MaxIngestBytes must be positive.")
            .Validate(o => o.RateLimit.PermitsPerClient > 0 && o.RateLimit.PermitsPerChat > 0, "Moltworker:Api:RateLimit permits must be positive.")
            .Validate(o => o.RateLimit.ClientWindow > TimeSpan.Zero && o.RateLimit.ChatWindow > TimeSpan.Zero, "Moltworker:Api:RateLimit windows must be positive.")
            .Validate(o => o.KeyCacheDuration >= TimeSpan.Zero, "Moltworker:Api:KeyCacheDuration must not be negative.")
            .ValidateOnStart();
        services.CacheApiKeyChecks();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.SkipDataProtectionKeyLoadAtStart();
        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in ApiScopes.All)
            authorization.AddPolicy(scope, p => p.RequireAuthenticatedUser().RequireClaim(ApiScopes.Claim, scope, ApiScopes.Admin));
        services.AddSingleton<IAuthorizationPolicyProvider, ScopePolicyProvider>();
        services.AddApiRateLimits();
        services.AddSingleton<StreamTickets>();
        services.AddSingleton<PendingReplies>();
        services.AddSingleton<RemoteAnswers>();
        services.AddSingleton<IInboxHandler, HttpInboxHandler>();
        services.AddSingleton<IChatDelivery, HttpChatDelivery>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Detail ??= DefaultDetail(c.ProblemDetails.Status));
    }

    /// <summary>Wraps the storage provider's API key store (registered before the API) in <see cref="CachedApiKeyStore"/>,
    /// so a request's key check is not a database round trip.</summary>
    public static IServiceCollection CacheApiKeyChecks(this IServiceCollection services)
    {
        var store = services.LastOrDefault(d => d.ServiceType == typeof(IApiKeyStore) && !d.IsKeyedService);
        if (store is null) return services;
        services.Remove(store);
        services.AddSingleton<IApiKeyStore>(sp => new CachedApiKeyStore(
            store.ImplementationInstance as IApiKeyStore
                ?? store.ImplementationFactory?.Invoke(sp) as IApiKeyStore
                ?? (IApiKeyStore)ActivatorUtilities.CreateInstance(sp, store.ImplementationType!),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ApiOptions>>().Value.KeyCacheDuration));
        return services;
    }

    /// <summary>
    /// <c>AddAuthentication</c> adds ASP.NET Core's data protection, whose hosted service loads (on a first start:
    /// creates and writes) the key ring at start: the XML libraries loaded and kept (~29 ms of the start's CPU, traced)
    /// and a key file under the user's home. Nothing in this host protects data (API keys are bearer tokens, checked
    /// against their hashes), so the service is removed; should anything ever protect data, the key ring loads on that first use.
    /// </summary>
    public static IServiceCollection SkipDataProtectionKeyLoadAtStart(this IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
            if (services[i].ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService) && !services[i].IsKeyedService
                && services[i].ImplementationType?.FullName == DataProtectionHostedService)
                services.RemoveAt(i);
        return services;
    }

    /// <summary>The data protection key ring's start-up service (internal to ASP.NET Core, hence by name).</summary>
    public const string DataProtectionHostedService = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    /// <summary>The <c>detail</c> of a problem written by the framework (a missing route, an exception), which has none.</summary>
    private static string DefaultDetail(int? status) => status switch
    {
        404 => "There is no such route under /api.",
        405 => "The route does not take this method.",
        >= 500 => "The request failed inside the host; its log says why.",
        _ => "The request was refused.",
    };

    /// <summary>Middleware for <c>/api/*</c>: unhandled exceptions and bodiless errors (404, 405, …) answer with problem details.</summary>
    public static void UseMoltworkerApi(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        // Authentication first, so the rate limit partitions by key; the limit before authorization, so refused clients count.
        app.UseWebSockets();   // /api/ws; its ping interval and timeout are set per connection (Moltworker:Events)
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }

    /// <summary>The route groups of the API that read the host's catalogs and stores: <c>/api/plugins</c>,
    /// <c>/api/agents</c>, <c>/api/usage</c>, <c>/api/transactions</c>, <c>/api/knowledge</c>, <c>/api/feedback</c>; and the
    /// API's description, <c>/openapi.json</c> and <c>/docs</c> (<see cref="ApiDocument"/>).</summary>
    public static IEndpointRouteBuilder MapCatalogApis(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPluginsApi();
        endpoints.MapAgentsApi();
        endpoints.MapUsageApi();
        endpoints.MapKnowledgeApi();
        endpoints.MapFeedbackApi();
        endpoints.MapApiDocument();
        return endpoints;
    }
}
