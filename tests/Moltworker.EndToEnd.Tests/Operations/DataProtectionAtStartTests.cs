using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Host.Composition;

namespace Moltworker.EndToEnd.Tests.Operations;

/// <summary>The host does not load ASP.NET Core's data protection key ring at start (nothing in it protects data).</summary>
public sealed class DataProtectionAtStartTests
{
    [Fact]
    public void The_name_removed_is_the_service_AddDataProtection_registers()
    {
        var services = new ServiceCollection().AddDataProtection().Services;
        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == ApiComposition.DataProtectionHostedService);
        Assert.DoesNotContain(services.SkipDataProtectionKeyLoadAtStart(), d => d.ServiceType == typeof(IHostedService));
    }

    [Fact]
    public async Task The_running_host_starts_no_key_ring_service_and_still_answers()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        var started = host.Services.GetRequiredService<AfterListeningHostedService>().Started
            .Concat(host.Services.GetServices<IHostedService>()).Select(s => s.GetType().FullName);
        Assert.DoesNotContain(ApiComposition.DataProtectionHostedService, started);
        var (status, _) = await host.HealthAsync();
        Assert.Equal(200, status);
    }
}
