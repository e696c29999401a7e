using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;

namespace Moltworker.Kernel.Http;

/// <summary>Puts <see cref="TransientHttpRetry"/> on a named HttpClient with Microsoft.Extensions.Http.Resilience.</summary>
public static class TransientRetryHttpClientBuilderExtensions
{
    /// <summary>
    /// Two resilience handlers: the retry (outer), whose delays run on the container's <see cref="TimeProvider"/> so a
    /// test clock steers them, and the attempt timeout (inner), on real time: a request that hangs is cut off after
    /// <see cref="HttpRetrySettings.AttemptTimeout"/> whatever clock the retries use. Settings are read when the
    /// handler is built, from <paramref name="settings"/>.
    /// </summary>
    public static IHttpClientBuilder AddTransientRetry(this IHttpClientBuilder builder, Func<IServiceProvider, HttpRetrySettings> settings)
    {
        builder.AddResilienceHandler("retry", (pipeline, context) =>
        {
            var sp = context.ServiceProvider;
            var current = settings(sp);
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            pipeline.TimeProvider = time;
            if (current.MaxRetries <= 0) return;
            var logger = (sp.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
                .CreateLogger($"{typeof(TransientHttpRetry).FullName}.{builder.Name}");
            pipeline.AddRetry(TransientHttpRetry.Options(current, time, logger));
        });
        builder.AddResilienceHandler("attempt-timeout", (pipeline, context) =>
        {
            pipeline.TimeProvider = TimeProvider.System;
            var timeout = settings(context.ServiceProvider).AttemptTimeout;
            if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan) pipeline.AddTimeout(timeout);
        });
        return builder;
    }
}
