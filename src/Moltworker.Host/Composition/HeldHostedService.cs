using Microsoft.Extensions.Hosting;

namespace Moltworker.Host.Composition;

/// <summary>A hosted service made and started only once the <see cref="StartupHold"/> opens; stopped as usual (or not
/// at all if the host stops before that). Made late so that what it depends on (the kernel, the knowledge store) is not
/// built before the host listens either.</summary>
public sealed class HeldHostedService(Func<IHostedService> create, StartupHold hold) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task<IHostedService?> _started = Task.FromResult<IHostedService?>(null);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = StartWhenOpenAsync();
        return Task.CompletedTask;
    }

    private async Task<IHostedService?> StartWhenOpenAsync()
    {
        try { await hold.Opened.WaitAsync(_stopping.Token); }
        catch (OperationCanceledException) { return null; }
        var inner = create();
        try { await inner.StartAsync(_stopping.Token); }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { } // stopped while starting: let it stop what it began
        return inner;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (await _started is { } inner) await inner.StopAsync(cancellationToken);
    }
}
