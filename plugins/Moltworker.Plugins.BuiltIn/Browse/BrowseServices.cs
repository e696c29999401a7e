using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Moltworker.Plugins.BuiltIn.Browse;

public static class BrowseServices
{
    /// <summary>Binds <see cref="BrowseOptions"/> from <c>Moltworker:Browse</c> (validated at start) and registers the one
    /// shared <see cref="BrowserHost"/>; Chromium itself starts on the first <c>browse_url</c> call.</summary>
    public static IServiceCollection AddBrowse(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BrowseOptions>()
            .Bind(configuration.GetSection(BrowseOptions.Section))
            .Validate(o => o.Problem() is null, "Moltworker:Browse is invalid (MaxPages >= 1, positive Timeout and LaunchTimeout, MaxChars >= 1)")
            .ValidateOnStart();
        services.AddSingleton<BrowserHost>();
        return services;
    }
}
