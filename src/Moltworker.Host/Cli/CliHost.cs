using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Host.Composition;

namespace Moltworker.Host.Cli;

/// <summary>Builds the full service graph for a CLI verb, without the web server and without starting hosted services.
/// Logs go to standard error so that standard output carries only the verb's answer.</summary>
/// <param name="configArgs">Command-line tokens for the configuration.</param>
/// <param name="settings">The <c>--Section:Key=value</c> settings among them (the <c>run</c> verb hands them to the web host).</param>
public sealed class CliHost(string[] configArgs, IReadOnlyList<string> settings)
{
    public IReadOnlyList<string> Settings => settings;

    public Task<IHost> CreateAsync(CancellationToken cancellationToken = default)
    {
        ConfigurationWatching.PreferPolling();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = configArgs });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMoltworker();
        return Task.FromResult(builder.Build());
    }
}
