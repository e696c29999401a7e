using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Approvals;
using Moltworker.Channels.Telegram.Schedules;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Commands;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Polling;
using Moltworker.Channels.Telegram.Replies;
using Moltworker.Channels.Telegram.Webhook;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.RateLimiting;
using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Telegram;

public static class TelegramServiceCollectionExtensions
{
    /// <summary>The Telegram channel. Without Moltworker:Telegram:BotToken nothing active is registered.</summary>
    public static IServiceCollection AddTelegramChannel(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TelegramOptions.Section);
        services.AddOptions<TelegramOptions>().Bind(section);
        var options = section.Get<TelegramOptions>() ?? new TelegramOptions();
        if (!options.Enabled) return services;
        if (TelegramOptionsCheck.Problems(options) is { Count: > 0 } problems)
            throw new OptionsValidationException(TelegramOptions.Section, typeof(TelegramOptions), problems);

        services.TryAddSingleton(TimeProvider.System);
        // The Bot API client is Telegram.Bot's, over an HttpClient from IHttpClientFactory. The factory's request
        // loggers are removed (they would log URLs, and every URL contains the token); the handler is a
        // SocketsHttpHandler whose pooled connections are renewed every few minutes, as the client lives as long
        // as the host.
        services.AddHttpClient(BotClientFactory.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(Math.Max(1, options.PollTimeoutSeconds) + 30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddSingleton(sp => BotClientFactory.Create(
            sp.GetRequiredService<IOptions<TelegramOptions>>().Value,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(BotClientFactory.HttpClientName)));
        services.AddSingleton<TelegramChannelMarker>();
        services.AddSingleton<BotIdentity>();
        services.AddSingleton<TelegramCommands>();
        services.AddSingleton<AccessPolicy>();
        services.TryAddSingleton<UserRateLimiter>();
        services.TryAddSingleton<RejectedIntake>();
        services.AddSingleton<TelegramIntake>();
        services.AddSingleton<ApprovalCallbacks>();
        services.AddHostedService<ApprovalPrompts>();
        services.AddSingleton<ScheduleListMessage>();
        services.AddSingleton<ScheduleCallbacks>();
        services.AddSingleton<TelegramResilience>();
        services.AddSingleton<ChatMigrations>();
        services.AddSingleton<ReplySender>();
        services.AddSingleton<IChatDelivery, TelegramChatDelivery>();
        services.AddSingleton<TypingIndicator>();
        services.AddSingleton<IInboxHandler, TelegramInboxHandler>();
        services.AddSingleton<IHealthContributor, TelegramHealth>();
        services.AddHostedService<TelegramStartup>();
        if (options.RegisterCommands)
        {
            services.AddSingleton<TelegramCommandTarget>();
            services.AddHostedService<CommandRegistrar>();
        }
        if (options.Mode == TelegramMode.Polling)
        {
            services.AddSingleton<TelegramPoller>();
            services.AddHostedService(sp => sp.GetRequiredService<TelegramPoller>());
        }
        else
        {
            services.AddHostedService<WebhookRegistrar>();
        }
        return services;
    }

    /// <summary>Maps POST /telegram/webhook in webhook mode; does nothing otherwise.</summary>
    public static IEndpointRouteBuilder MapTelegramChannel(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<TelegramChannelMarker>() is null) return endpoints;
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<TelegramOptions>>().Value;
        if (options.Mode == TelegramMode.Webhook)
            endpoints.MapPost(TelegramWebhookEndpoint.Path, TelegramWebhookEndpoint.HandleAsync).ExcludeFromDescription();
        return endpoints;
    }
}
