using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.State;

namespace Moltworker.Host.Composition;

/// <summary>At start: when the host listens on an address other machines can reach and no API key exists, a warning says
/// so (every /api request from elsewhere is then refused with 401 until a key is made).</summary>
public static partial class ApiExposureWarning
{
    public static async Task CheckAsync(WebApplication app)
    {
        var exposed = app.Urls.Where(IsReachableFromElsewhere).ToList();
        if (exposed.Count == 0) return;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Moltworker.Host.Api");
        try
        {
            if (await app.Services.GetRequiredService<IApiKeyStore>().AnyActiveAsync(app.Lifetime.ApplicationStopping)) return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException) { LogCheckFailed(logger, ex); return; }
        LogNoKey(logger, string.Join(", ", exposed));
    }

    /// <summary>Whether <paramref name="url"/>'s host is not loopback (a wildcard such as 0.0.0.0, [::], * or + is not).</summary>
    public static bool IsReachableFromElsewhere(string url)
    {
        var host = url.Split("://", 2)[^1].Split('/')[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return false;
        return !(IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening on a non-loopback address ({Urls}) with no API key: requests from other machines get 401 on /api until you make one with 'moltworker keys create --name <name> --scopes chat' (loopback needs no key only while no key exists)")]
    private static partial void LogNoKey(ILogger logger, string urls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check for API keys at start")]
    private static partial void LogCheckFailed(ILogger logger, Exception ex);
}
