using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Schedules.Tools;

namespace Moltworker.Kernel.Schedules;

public static class SchedulesServiceCollectionExtensions
{
    /// <summary>Schedules: options (validated at start), the service every door uses, the scheduler (when enabled) and the
    /// schedule tools. The store is the storage project's (<see cref="IScheduleStore"/>).</summary>
    public static IServiceCollection AddSchedules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulesOptions>().Bind(configuration.GetSection(SchedulesOptions.Section))
            .Validate(o => o.CatchUpWithin >= TimeSpan.Zero, "Moltworker:Schedules:CatchUpWithin must not be negative.")
            .Validate(o => o.MaxPerChat >= 1, "Moltworker:Schedules:MaxPerChat must be at least 1.")
            .Validate(o => o.MinInterval >= TimeSpan.FromMinutes(1), "Moltworker:Schedules:MinInterval must be at least one minute (cron's resolution).")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.DefaultTimeZone, out _), "Moltworker:Schedules:DefaultTimeZone must be a known time zone id (e.g. Europe/Oslo).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScheduleChanges>();
        services.TryAddSingleton(sp => new ScheduleTimingParser(sp.GetRequiredService<IOptions<SchedulesOptions>>().Value));
        services.TryAddSingleton<ScheduleService>();
        services.TryAddSingleton<ScheduleRunner>();
        services.TryAddSingleton<Scheduler>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IOptions<SchedulesOptions>>().Value.Enabled
            ? sp.GetRequiredService<Scheduler>()
            : new DisabledScheduler());
        services.AddSingleton<IBuiltInCommand, ScheduleCommand>();
        services.AddPlugin<SchedulesPlugin>();
        return services;
    }
}
