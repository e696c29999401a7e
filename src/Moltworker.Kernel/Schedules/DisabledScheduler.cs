using Microsoft.Extensions.Hosting;

namespace Moltworker.Kernel.Schedules;

/// <summary>Stands in for <see cref="Scheduler"/> when <c>Moltworker:Schedules:Enabled</c> is false: nothing runs.</summary>
internal sealed class DisabledScheduler : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
