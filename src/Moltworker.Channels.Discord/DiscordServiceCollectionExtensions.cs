using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Approvals;
using Moltworker.Channels.Discord.Commands;
using Moltworker.Channels.Discord.Gateway;
using Moltworker.Channels.Discord.Hosting;
using Moltworker.Channels.Discord.Interactions;
using Moltworker.Channels.Discord.Options;
using Moltworker.Channels.Discord.Rest;
using Moltworker.Channels.Discord.Signing;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.RateLimiting;
using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Discord;

public static class DiscordServiceCollectionExtensions
{
    public const string HttpClientName = "discord";

    /// <summary>
    /// Registers the Discord channel when <c>Moltworker:Discord:BotToken</c> and <c>ApplicationId</c> are set;
    /// otherwise only binds the options (nothing starts, nothing is logged).
    /// </summary>
    public static IServiceCollection AddDiscordChannel(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(DiscordOptions.Section);
        services.AddOptions<DiscordOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>());
        var options = section.Get<DiscordOptions>() ?? new DiscordOptions();
        if (!options.IsConfigured) return services;

        services.TryAddSingleton(TimeProvider.System);
        // No request logging: interaction tokens are part of webhook URLs.
        services.AddHttpClient(HttpClientName).RemoveAllLoggers();
        services.TryAddSingleton(sp =>
        {
            var limiter = ActivatorUtilities.CreateInstance<DiscordRateLimiter>(sp);
            limiter.MaxRetries = sp.GetRequiredService<IOptions<DiscordOptions>>().Value.MaxRateLimitRetries;
            return limiter;
        });
        services.TryAddSingleton(sp => new DiscordRestClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<DiscordRateLimiter>(),
            sp.GetRequiredService<IOptions<DiscordOptions>>()));
        services.TryAddSingleton<DiscordCommandRegistry>();
        services.TryAddSingleton<InteractionSignatureValidator>();
        services.TryAddSingleton<AccessPolicy>();
        services.TryAddSingleton<UserRateLimiter>();
        services.TryAddSingleton<AutocompleteResponder>();
        services.TryAddSingleton<InteractionAcks>();
        services.TryAddSingleton<RejectedIntake>();
        services.TryAddSingleton<InteractionProcessor>();
        services.TryAddSingleton<ReplyDelivery>();
        services.TryAddSingleton<DiscordChatDelivery>();
        services.AddSingleton<IChatDelivery>(sp => sp.GetRequiredService<DiscordChatDelivery>());
        services.TryAddSingleton<ApprovalComponentHandler>();
        services.AddHostedService<ApprovalPrompts>();
        services.TryAddSingleton<GatewayClient>();
        services.AddSingleton<IInboxHandler, DiscordInboxHandler>();
        services.AddSingleton<IHealthContributor, DiscordHealth>();
        services.TryAddSingleton<DiscordCommandTarget>();
        services.TryAddSingleton<CommandRegistrar>();
        services.AddHostedService(sp => sp.GetRequiredService<CommandRegistrar>());
        if (options.Transport == DiscordTransport.Gateway)
        {
            services.TryAddSingleton<GatewayService>();
            services.AddHostedService(sp => sp.GetRequiredService<GatewayService>());
        }
        return services;
    }

    /// <summary>Maps <c>POST /discord/interactions</c> when the channel is configured for the HTTP transport.</summary>
    public static IEndpointRouteBuilder MapDiscordChannel(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<DiscordOptions>>().Value;
        if (!options.IsConfigured || options.Transport != DiscordTransport.Http) return endpoints;
        endpoints.MapPost(InteractionEndpoint.Path, InteractionEndpoint.HandleAsync).DisableAntiforgery();
        return endpoints;
    }
}
